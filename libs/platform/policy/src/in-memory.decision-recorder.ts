import { type PolicyDecidedV1, validateEventData } from '@rf/contracts';
import { type DecisionRecorder, POLICY_DECIDED_EVENT } from './decision-recorder.port';

/** Keeps decisions in memory, checked against the event contract as the outbox would. For tests. */
export class InMemoryDecisionRecorder implements DecisionRecorder {
  readonly decisions: PolicyDecidedV1[] = [];

  record(decision: PolicyDecidedV1): Promise<void> {
    const validation = validateEventData(POLICY_DECIDED_EVENT, decision);
    if (!validation.ok) {
      return Promise.reject(
        new Error(`policy.decided does not match its contract: ${validation.errors.join('; ')}`),
      );
    }
    this.decisions.push(decision);
    return Promise.resolve();
  }

  last(): PolicyDecidedV1 | undefined {
    return this.decisions.at(-1);
  }
}
