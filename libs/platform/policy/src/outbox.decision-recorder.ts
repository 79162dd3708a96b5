import type { PolicyDecidedV1 } from '@rf/contracts';
import type { NewEvent, OutboxWriter } from '@rf/platform-events';
import type { EntityManager } from 'typeorm';
import { type DecisionRecorder, policyDecidedEvent } from './decision-recorder.port';

interface PendingDecision {
  readonly events: readonly NewEvent[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Decisions written together in one group commit, at most. */
const MAX_GROUP = 256;

/**
 * Appends each decision to the outbox. Given the manager of a running transaction, the decision
 * commits (or rolls back) with the action it guarded. Given any other manager (e.g.
 * `dataSource.manager`), which is what a guard outside the business transaction needs so that
 * denies are kept too, decisions are written in short transactions of their own with group commit:
 * one transaction is in flight at a time, and the decisions that arrive meanwhile share the next.
 * Each `record` still resolves only once its own decision has committed; a group that fails is
 * retried one decision at a time, so one bad decision fails alone.
 */
export class OutboxDecisionRecorder implements DecisionRecorder {
  private readonly pending: PendingDecision[] = [];
  private flushing = false;

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly manager: EntityManager,
  ) {}

  async record(decision: PolicyDecidedV1, organisation?: string | null): Promise<void> {
    const events = [policyDecidedEvent(decision, organisation)];
    if (this.manager.queryRunner?.isTransactionActive) {
      await this.outbox.append(this.manager, events);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, MAX_GROUP);
        try {
          await this.manager.transaction((m) =>
            this.outbox.append(
              m,
              group.flatMap((d) => d.events),
            ),
          );
          for (const d of group) d.resolve();
        } catch (groupError: unknown) {
          if (group.length === 1) {
            group[0]?.reject(groupError);
            continue;
          }
          for (const d of group) {
            try {
              await this.manager.transaction((m) => this.outbox.append(m, d.events));
              d.resolve();
            } catch (error: unknown) {
              d.reject(error);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
