import { type PolicyDecidedV1, validateEventData } from '@rf/contracts';
import { type DecisionRecorder, POLICY_DECIDED_EVENT } from './decision-recorder.port';

/** Keeps decisions in memory, checked against the event contract as the outbox would. For tests. */
export class InMemoryDecisionRecorder implements DecisionRecorder {
  readonly decisions: PolicyDecidedV1[] = [];
  /** The organisation each decision was recorded in, by decision id (undefined: none given). */
  readonly organisations = new Map<string, string | null | undefined>();

  record(decision: PolicyDecidedV1, organisation?: string | null): Promise<void> {
    const validation = validateEventData(POLICY_DECIDED_EVENT, decision);
    if (!validation.ok) {
      return Promise.reject(
        new Error(`policy.decided does not match its contract: ${validation.errors.join('; ')}`),
      );
    }
    this.decisions.push(decision);
    this.organisations.set(decision.decisionId, organisation);
    return Promise.resolve();
  }

  last(): PolicyDecidedV1 | undefined {
    return this.decisions.at(-1);
  }
}
