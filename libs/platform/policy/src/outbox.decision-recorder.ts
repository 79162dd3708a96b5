import type { PolicyDecidedV1 } from '@rf/contracts';
import type { OutboxWriter } from '@rf/platform-events';
import type { EntityManager } from 'typeorm';
import { type DecisionRecorder, POLICY_DECIDED_EVENT } from './decision-recorder.port';

/**
 * Appends each decision to the outbox. Given the manager of a running transaction, the decision
 * commits (or rolls back) with the action it guarded; given any other manager (e.g.
 * `dataSource.manager`), each decision is written in its own short transaction, which is what a
 * guard outside the business transaction needs so that denies are kept too.
 */
export class OutboxDecisionRecorder implements DecisionRecorder {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly manager: EntityManager,
  ) {}

  async record(decision: PolicyDecidedV1): Promise<void> {
    const events = [{ type: POLICY_DECIDED_EVENT, data: decision, id: decision.decisionId }];
    if (this.manager.queryRunner?.isTransactionActive) {
      await this.outbox.append(this.manager, events);
      return;
    }
    await this.manager.transaction((manager) => this.outbox.append(manager, events));
  }
}
