import { SetMetadata } from '@nestjs/common';
import type { PolicyExceptionGrant, Principal, ResourceScope } from '../authorization-input.builder';

export const AUTHORIZE_METADATA = Symbol('rf:policy:authorize');
export const PUBLIC_METADATA = Symbol('rf:policy:public');

/** What the guard reads from an HTTP request: authentication sets `principal`. */
export interface AuthorizableRequest {
  readonly principal?: Principal;
  /** Exceptions from the registry that apply to this request, when a middleware looked them up. */
  readonly policyExceptions?: readonly PolicyExceptionGrant[];
  readonly params?: Readonly<Record<string, string | undefined>>;
}

export interface AuthorizeRule {
  readonly action: string;
  readonly resource: (request: AuthorizableRequest) => ResourceScope | undefined;
}

/**
 * Guards a route with `rf.authz` for `action`. The resource scope comes from `resource`, or by
 * default from the route parameters `:org`, `:project`, `:env` and `:id`, with the kind taken from
 * the action (`remediation.start` acts on a `remediation`).
 */
export function Authorize(
  action: string,
  resource: AuthorizeRule['resource'] = resourceFromParams(action),
): MethodDecorator & ClassDecorator {
  return SetMetadata<symbol, AuthorizeRule>(AUTHORIZE_METADATA, { action, resource });
}

/** Marks a route that needs no authorisation (health probes, the login callback). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata<symbol, boolean>(PUBLIC_METADATA, true);
}

export function resourceFromParams(action: string): AuthorizeRule['resource'] {
  const kind = action.split('.')[0] ?? action;
  return (request) => {
    const params = request.params ?? {};
    const org = params['org'];
    if (!org) return undefined;
    return {
      kind,
      id: params['id'] ?? params['env'] ?? params['project'] ?? org,
      org,
      ...(params['project'] ? { project: params['project'] } : {}),
      ...(params['env'] ? { env: params['env'] } : {}),
    };
  };
}
