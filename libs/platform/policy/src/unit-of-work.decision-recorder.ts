import type { PolicyDecidedV1 } from '@rf/contracts';
import type { UnitOfWorkContext } from '@rf/platform-events';
import { type DecisionRecorder, POLICY_DECIDED_EVENT } from './decision-recorder.port';

/** Queues decisions on a unit of work, so they are written when (and only if) the work commits. */
export class UnitOfWorkDecisionRecorder implements DecisionRecorder {
  constructor(private readonly work: UnitOfWorkContext) {}

  record(decision: PolicyDecidedV1): Promise<void> {
    this.work.publish({ type: POLICY_DECIDED_EVENT, data: decision, id: decision.decisionId });
    return Promise.resolve();
  }
}
