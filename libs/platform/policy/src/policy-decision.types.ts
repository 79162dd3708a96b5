import type { PolicyDecidedV1 } from '@rf/contracts';
import type { PolicyError } from './policy.error';

/** `prod` enforces every result; `dev` logs what would be denied and lets it through. */
export type GateMode = PolicyDecidedV1['mode'];
export type PolicyResult = PolicyDecidedV1['result'];
export type DecisionActor = NonNullable<PolicyDecidedV1['actor']>;
export type DecisionResource = NonNullable<PolicyDecidedV1['resource']>;
export type AppliedException = NonNullable<PolicyDecidedV1['exception']>;
export type GateService = PolicyDecidedV1['service'];

/** Rego packages in contracts/policies; each exposes `<package>/decision`. */
export const POLICIES = {
  authz: 'rf.authz',
  remediation: 'rf.remediation',
  imagePromotion: 'rf.image_promotion',
  serviceMode: 'rf.service_mode',
  restore: 'rf.restore',
} as const;

export type PolicyName = (typeof POLICIES)[keyof typeof POLICIES];

export interface PolicyRequest {
  /** Rego package that decides, e.g. `rf.remediation`. */
  readonly policy: PolicyName;
  /** Action being decided, e.g. `remediation.start`. */
  readonly action: string;
  /** The policy input: JSON only. Hashed into the decision, never published. */
  readonly input: unknown;
  readonly actor?: DecisionActor;
  readonly resource?: DecisionResource;
  /**
   * The organisation the resource belongs to: the decision is recorded in it (`policy.decided`
   * with `ce_organisation`). Null for a platform-wide decision; absent to leave it to the recorder
   * (a decision recorded while handling an event stays in that event's organisation).
   */
  readonly organisation?: string | null;
}

export interface PolicyDecision {
  readonly decisionId: string;
  readonly policy: PolicyName;
  readonly entrypoint: string;
  readonly action: string;
  /** What the policy decided; `deny` also when the gate could not evaluate (see `error`). */
  readonly result: PolicyResult;
  /**
   * Whether the caller may go ahead now: an allow, or a policy deny in dev mode. A
   * needs_approval is never permitted: the caller asks for approval instead.
   */
  readonly permitted: boolean;
  /** False only for a policy deny let through in dev mode. */
  readonly enforced: boolean;
  readonly mode: GateMode;
  readonly reasons: readonly string[];
  readonly exception?: AppliedException;
  readonly bundleHash: string;
  readonly inputHash: string;
  readonly durationMs: number;
  readonly decidedAt: string;
  readonly actor?: DecisionActor;
  readonly resource?: DecisionResource;
  /** The organisation of the request, when it named one. */
  readonly organisation?: string | null;
  /** Why the gate failed closed, when it did. */
  readonly error?: PolicyError;
}
