import type { UnitOfWork } from '@rf/platform-events';
import type { ApplyDriftInputHandler } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import type { ReconcileDriftHandler } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.handler';
import type { ReconcileDriftResult } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.result';
import type { TakeDriftSnapshotsHandler } from '../../../application/drift/commands/take-drift-snapshots/take-drift-snapshots.handler';
import type { DriftSnapshotRecord } from '../../../application/drift/ports/drift-read-model.port';
import { snapshotEvent, transitionEvent } from '../messaging/drift-event.mapper';
import { PostgresDriftReadModel } from '../persistence/postgres-drift.read-model';
import { PostgresDriftStore } from '../persistence/postgres-drift.store';

/** The drift engine's periodic work, each round one transaction whose events go through the outbox. */
export class DriftMaintenance {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly apply: ApplyDriftInputHandler,
    private readonly reconcileHandler: ReconcileDriftHandler,
    private readonly snapshots: TakeDriftSnapshotsHandler,
  ) {}

  /** Applies scheduled revocations that took effect, then snapshots the scopes that changed. */
  async tick(now: number): Promise<DriftSnapshotRecord[]> {
    await this.uow.run(async (ctx) => {
      const transitions = await this.apply.applyDueRevocations(new PostgresDriftStore(ctx.manager), now);
      ctx.publish(...transitions.map(transitionEvent));
    });
    return this.snapshot(now);
  }

  snapshot(now: number): Promise<DriftSnapshotRecord[]> {
    return this.uow.run(async (ctx) => {
      const taken = await this.snapshots.execute(new PostgresDriftReadModel(ctx.manager), now);
      ctx.publish(...taken.map(snapshotEvent));
      return taken;
    });
  }

  reconcile(now: number): Promise<ReconcileDriftResult> {
    return this.uow.run(async (ctx) => {
      const { result, transitions } = await this.reconcileHandler.execute(
        new PostgresDriftStore(ctx.manager),
        now,
      );
      ctx.publish(...transitions.map(transitionEvent));
      return result;
    });
  }
}
