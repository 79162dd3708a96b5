import type { AuthorizableRequest, AuthorizeRule, ResourceScope } from '@rf/platform-policy';
import type { AuthenticatedPrincipal } from '../authenticated-principal';

interface ScopedRequest extends AuthorizableRequest {
  readonly query?: Readonly<Record<string, unknown>>;
}

/**
 * The resource scope of a request on a collection without ids in its path: the caller's own
 * organisation unless the request names one (`:org` or `?org=`), narrowed by `?project=` and `?env=`
 * (or the route's `:project`/`:env`). A named organisation other than the caller's is refused as
 * cross-tenant by the AuthGuard before the policy is asked.
 */
export function callerScope(kind: string): AuthorizeRule['resource'] {
  return (request) => {
    const principal = request.principal as Partial<AuthenticatedPrincipal> | undefined;
    const { params = {}, query = {} } = request as ScopedRequest;
    const pick = (key: string): string | undefined => {
      const value = params[key] ?? query[key];
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    };
    const org = pick('org') ?? principal?.org;
    if (!org) return undefined;
    const project = pick('project');
    const env = pick('env');
    const scope: ResourceScope = {
      kind,
      id: pick('id') ?? env ?? project ?? org,
      org,
      ...(project ? { project } : {}),
      ...(env ? { env } : {}),
    };
    return scope;
  };
}

/**
 * The caller's organisation as a whole, ignoring `?project=`/`?env=`: for organisation-wide acts
 * (API keys, grants), which a project- or environment-narrowed grant must not reach by naming its
 * own project.
 */
export function organisationScope(kind: string): AuthorizeRule['resource'] {
  const scoped = callerScope(kind);
  return (request) => {
    const scope = scoped(request);
    return scope ? { kind, id: scope.org, org: scope.org } : undefined;
  };
}
