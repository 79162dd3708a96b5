import { canonicalJson } from './canonical-json.encoder';
import { POLICIES, type PolicyRequest } from './policy-decision.types';

export type Role = 'viewer' | 'operator' | 'engineer' | 'admin';

/** A role over a scope: the organisation, optionally narrowed to a project and an environment. */
export interface RoleGrant {
  readonly role: Role;
  readonly org: string;
  readonly project?: string;
  readonly env?: string;
  /** Time-boxed grants lapse here. */
  readonly expiresAt?: Date | string;
}

/** Who acts, as authentication established it (`request.principal`). */
export interface Principal {
  readonly kind: 'user' | 'service' | 'schedule';
  /** OIDC `sub`, service name or schedule id. */
  readonly id: string;
  readonly displayName?: string;
  readonly grants: readonly RoleGrant[];
}

/** What is acted on, and the scope it lives in. */
export interface ResourceScope {
  readonly kind: string;
  readonly id: string;
  readonly org: string;
  readonly project?: string;
  readonly env?: string;
  /** Who asked for the change, for four-eyes rules. */
  readonly requestedBy?: string;
}

/** An exception from the registry that may waive a deny; optionally limited to a policy or action. */
export interface PolicyExceptionGrant {
  readonly ticket: string;
  readonly expiresAt: Date | string;
  readonly policy?: string;
  readonly action?: string;
}

export interface AuthorizationContext {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: ResourceScope;
  readonly now: Date;
  readonly exceptions?: readonly PolicyExceptionGrant[];
}

/** The input of `rf.authz`; see contracts/policies/authz/authz.rego. */
export interface AuthorizationInput {
  readonly principal: {
    readonly kind: Principal['kind'];
    readonly id: string;
    readonly grants: readonly {
      readonly role: string;
      readonly org: string;
      readonly project?: string;
      readonly env?: string;
      readonly expiresAt?: string;
    }[];
  };
  readonly action: string;
  readonly resource: {
    readonly kind: string;
    readonly id: string;
    readonly org: string;
    readonly project?: string;
    readonly env?: string;
    readonly requestedBy?: string;
  };
  readonly now: string;
  readonly exceptions: readonly {
    readonly ticket: string;
    readonly expiresAt: string;
    readonly policy?: string;
    readonly action?: string;
  }[];
}

/**
 * Builds the `rf.authz` input. Pure: only the fields the policy reads are copied (no tokens or
 * profile data), times become RFC 3339 strings, absent fields are left out rather than set to
 * undefined, and grants and exceptions are deduplicated and sorted, so the same facts always give
 * the same input and therefore the same inputHash.
 */
export function buildPolicyInput(context: AuthorizationContext): AuthorizationInput {
  const { principal, resource } = context;
  // Members in canonical (sorted) order at every level: the gate then hashes and hands over
  // JSON.stringify's text as it is (see canonicalJson).
  return {
    action: context.action,
    exceptions: sortedUnique(
      (context.exceptions ?? []).map((e) => ({
        ...optional('action', e.action),
        expiresAt: isoTime(e.expiresAt),
        ...optional('policy', e.policy),
        ticket: e.ticket,
      })),
    ),
    now: isoTime(context.now),
    principal: {
      grants: sortedUnique(
        principal.grants.map((g) => ({
          ...optional('env', g.env),
          ...optional('expiresAt', g.expiresAt === undefined ? undefined : isoTime(g.expiresAt)),
          org: g.org,
          ...optional('project', g.project),
          role: g.role,
        })),
      ),
      id: principal.id,
      kind: principal.kind,
    },
    resource: {
      ...optional('env', resource.env),
      id: resource.id,
      kind: resource.kind,
      org: resource.org,
      ...optional('project', resource.project),
      ...optional('requestedBy', resource.requestedBy),
    },
  };
}

/** The gate request for an authorisation check: `rf.authz` with actor and resource named. */
export function buildAuthorizationRequest(context: AuthorizationContext): PolicyRequest {
  const { principal, resource } = context;
  return {
    policy: POLICIES.authz,
    action: context.action,
    input: buildPolicyInput(context),
    actor: {
      kind: principal.kind,
      id: principal.id,
      ...optional('displayName', principal.displayName),
    },
    resource: { kind: resource.kind, id: resource.id },
    // The decision is recorded in the organisation of what is decided on.
    organisation: resource.org,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** An unreadable time stays unreadable, so the policy (which refuses it) decides, not a default. */
function isoTime(value: Date | string): string {
  if (typeof value === 'string') return value;
  return Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString();
}

function sortedUnique<T>(items: readonly T[]): T[] {
  const byKey = new Map(items.map((item) => [canonicalJson(item), item]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as T);
}
