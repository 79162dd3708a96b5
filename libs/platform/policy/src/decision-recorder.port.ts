import type { PolicyDecidedV1 } from '@rf/contracts';

export const POLICY_DECIDED_EVENT = 'io.resiliencefabric.policy.decided.v1';

/** Where the gate sends every decision, as `policy.decided` event data. */
export interface DecisionRecorder {
  /**
   * Rejects when the decision could not be kept; the gate then refuses to return it. The event is
   * recorded in `organisation` when one is given (null: platform-wide); when absent, the recorder's
   * context decides (an inbox's follow-up events inherit the cause's organisation).
   */
  record(decision: PolicyDecidedV1, organisation?: string | null): Promise<void>;
}

/** The `policy.decided` event of a decision, in its organisation when one is given. */
export function policyDecidedEvent(decision: PolicyDecidedV1, organisation: string | null | undefined) {
  return {
    type: POLICY_DECIDED_EVENT,
    data: decision,
    id: decision.decisionId,
    ...(organisation === undefined ? {} : { organisation }),
  };
}
