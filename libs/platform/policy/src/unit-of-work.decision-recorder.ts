import type { PolicyDecidedV1 } from '@rf/contracts';
import type { UnitOfWorkContext } from '@rf/platform-events';
import { type DecisionRecorder, policyDecidedEvent } from './decision-recorder.port';

/** Queues decisions on a unit of work, so they are written when (and only if) the work commits. */
export class UnitOfWorkDecisionRecorder implements DecisionRecorder {
  constructor(private readonly work: UnitOfWorkContext) {}

  record(decision: PolicyDecidedV1, organisation?: string | null): Promise<void> {
    this.work.publish(policyDecidedEvent(decision, organisation));
    return Promise.resolve();
  }
}
