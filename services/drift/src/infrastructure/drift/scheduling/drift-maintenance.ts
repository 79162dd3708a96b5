import type { UnitOfWork } from '@rf/platform-events';
import type { ApplyDriftInputHandler } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import type { ReconcileDriftHandler } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.handler';
import type { ReconcileDriftResult } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.result';
import type { TakeDriftSnapshotsHandler } from '../../../application/drift/commands/take-drift-snapshots/take-drift-snapshots.handler';
import type { DriftSnapshotRecord } from '../../../application/drift/ports/drift-read-model.port';
import { snapshotEvent, transitionEvent } from '../messaging/drift-event.mapper';
import { PostgresDriftOrganisations } from '../persistence/postgres-drift-organisations';
import { PostgresDriftReadModel } from '../persistence/postgres-drift.read-model';
import { PostgresDriftStore } from '../persistence/postgres-drift.store';

/** What a full reconcile of every organisation found, organisation by organisation. */
export type ReconcileRound = ReadonlyMap<string, ReconcileDriftResult>;

/**
 * The drift engine's periodic work, organisation by organisation: each organisation's round is one
 * transaction whose events, in that organisation, go through the outbox.
 */
export class DriftMaintenance {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly apply: ApplyDriftInputHandler,
    private readonly reconcileHandler: ReconcileDriftHandler,
    private readonly snapshots: TakeDriftSnapshotsHandler,
  ) {}

  /** Applies scheduled revocations that took effect, then snapshots the scopes that changed. */
  async tick(now: number): Promise<DriftSnapshotRecord[]> {
    const due = await this.uow.run((ctx) =>
      new PostgresDriftOrganisations(ctx.manager).withRevocationDue(now),
    );
    for (const organisation of due) {
      await this.uow.run(async (ctx) => {
        const store = new PostgresDriftStore(ctx.manager, organisation);
        const transitions = await this.apply.applyDueRevocations(store, now);
        ctx.publish(...transitions.map((t) => transitionEvent(t, organisation)));
      });
    }
    return this.snapshot(now);
  }

  /** Snapshots each organisation's changed scopes, then drops snapshots past retention. */
  async snapshot(now: number): Promise<DriftSnapshotRecord[]> {
    const taken: DriftSnapshotRecord[] = [];
    for (const organisation of await this.organisations()) {
      taken.push(...(await this.snapshotOf(organisation, now)));
    }
    await this.uow.run((ctx) => this.snapshots.prune(new PostgresDriftReadModel(ctx.manager), now));
    return taken;
  }

  snapshotOf(organisation: string, now: number): Promise<DriftSnapshotRecord[]> {
    return this.uow.run(async (ctx) => {
      const taken = await this.snapshots.execute(new PostgresDriftReadModel(ctx.manager), organisation, now);
      ctx.publish(...taken.map(snapshotEvent));
      return taken;
    });
  }

  /** A full reconcile of every organisation, each in its own transaction under its own lock. */
  async reconcile(now: number): Promise<ReconcileRound> {
    const results = new Map<string, ReconcileDriftResult>();
    for (const organisation of await this.organisations()) {
      results.set(organisation, await this.reconcileOf(organisation, now));
    }
    return results;
  }

  reconcileOf(organisation: string, now: number): Promise<ReconcileDriftResult> {
    return this.uow.run(async (ctx) => {
      const { result, transitions } = await this.reconcileHandler.execute(
        new PostgresDriftStore(ctx.manager, organisation),
        now,
      );
      ctx.publish(...transitions.map((t) => transitionEvent(t, organisation)));
      return result;
    });
  }

  private organisations(): Promise<string[]> {
    return this.uow.run((ctx) => new PostgresDriftOrganisations(ctx.manager).withDriftState());
  }
}
