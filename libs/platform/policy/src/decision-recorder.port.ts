import type { PolicyDecidedV1 } from '@rf/contracts';

export const POLICY_DECIDED_EVENT = 'io.resiliencefabric.policy.decided.v1';

/** Where the gate sends every decision, as `policy.decided` event data. */
export interface DecisionRecorder {
  /** Rejects when the decision could not be kept; the gate then refuses to return it. */
  record(decision: PolicyDecidedV1): Promise<void>;
}
