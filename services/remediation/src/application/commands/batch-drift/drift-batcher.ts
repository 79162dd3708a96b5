import type { DriftDetectedV1 } from '@rf/contracts';
import type { UnitOfWork, UnitOfWorkContext } from '@rf/platform-events';
import { createHash } from 'node:crypto';
import { type DriftBatchKey, freezeDriftBatch, mergedDrift } from '../../../domain/plan/drift-batch';
import type { Clock } from '../../ports/clock.port';
import type { DriftBatchRecord, DriftBatchRepository } from '../../ports/drift-batch.repository.port';
import type { PlanRepository } from '../../ports/plan.repository.port';
import type { CreatePlanCommand } from '../create-plan/create-plan.command';
import { driftRiskFactors } from '../create-plan/drift-plan.mapper';

export interface DriftBatchStores {
  readonly batches: DriftBatchRepository;
  readonly plans: PlanRepository;
}

export interface DriftBatchLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface ClosedDriftBatch {
  readonly batchId: string;
  readonly planId: string | null;
  readonly planned: readonly string[];
  readonly locked: readonly string[];
  readonly coolingDown: readonly string[];
}

/** A batch id from its key and first event: the same events admitted again give the same batch. */
export function driftBatchId(key: DriftBatchKey, firstEventId: string): string {
  const hex = createHash('sha256')
    .update(
      `${key.organisation}\u0000${key.family}\u0000${key.toVersion}\u0000${key.environment}\u0000${firstEventId}`,
    )
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Gathers drift.detected events for one family, target version and environment arriving within a
 * window into one batch (in PostgreSQL, inside each event's inbox transaction), and plans each batch
 * once when its window has passed: one plan over the frozen union of its assets, less those another
 * unfinished plan holds or that are cooling down. A restart loses nothing: open batches close on the
 * next pass, and a batch is planned in the transaction that closes it.
 */
export class DriftBatcher {
  constructor(
    private readonly windowMs: number,
    private readonly stores: (work: UnitOfWorkContext) => DriftBatchStores,
    private readonly plan: (work: UnitOfWorkContext, command: CreatePlanCommand) => Promise<{ id: string }>,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly logger: DriftBatchLogger,
  ) {}

  /** Without a window each drift is planned on its own, as it arrives. */
  get batching(): boolean {
    return this.windowMs > 0;
  }

  /** Adds a drift to its key's open batch, opening one if none accepts it any more. */
  async admit(
    work: UnitOfWorkContext,
    drift: DriftDetectedV1,
    eventId: string,
    organisation: string,
  ): Promise<string> {
    const { batches } = this.stores(work);
    const key = {
      organisation,
      family: drift.family,
      toVersion: drift.expectedVersion,
      environment: drift.environment,
    };
    const now = this.clock.now();
    await batches.lockKey(key);
    let batch = await batches.openBatch(key, now);
    if (batch === undefined) {
      batch = {
        ...key,
        id: driftBatchId(key, eventId),
        firstEventId: eventId,
        openedAt: now,
        closesAt: new Date(now.getTime() + this.windowMs),
      };
      await batches.insertBatch(batch);
    }
    await batches.admit(
      batch.id,
      {
        assetId: drift.assetId,
        driftId: drift.driftId,
        eventId,
        cause: drift.cause,
        driftAgeDays: drift.driftAgeDays,
      },
      now,
    );
    return batch.id;
  }

  /**
   * Plans every batch whose window has passed, one transaction each; returns what was closed. A batch
   * that cannot be planned now (a gate outage, a lock taken meanwhile) stays open for the next pass
   * and does not hold up the others.
   */
  async closeDue(): Promise<ClosedDriftBatch[]> {
    const closed: ClosedDriftBatch[] = [];
    const failed: string[] = [];
    for (;;) {
      let current: string | undefined;
      try {
        const result = await this.unitOfWork.run(async (work) => {
          const batch = await this.stores(work).batches.nextDue(this.clock.now(), failed);
          current = batch?.id;
          return batch === undefined ? undefined : this.closeIn(work, batch);
        });
        if (result === undefined) return closed;
        closed.push(result);
      } catch (error: unknown) {
        if (current === undefined) throw error;
        failed.push(current);
        this.logger.warn(`drift batch ${current} not planned yet; retrying next pass: ${String(error)}`);
      }
    }
  }

  private async closeIn(work: UnitOfWorkContext, batch: DriftBatchRecord): Promise<ClosedDriftBatch> {
    const { batches, plans } = this.stores(work);
    const now = this.clock.now();
    const members = await batches.members(batch.id);
    const assetIds = members.map((m) => m.assetId);
    const frozen = freezeDriftBatch(
      members,
      new Set(await batches.heldTargets(batch.organisation, assetIds)),
      new Set(await plans.coolingDown(batch.organisation, assetIds, now)),
    );
    const dispositions = new Map<string, 'planned' | 'locked' | 'cooling_down'>([
      ...frozen.planned.map((a) => [a, 'planned'] as const),
      ...frozen.locked.map((a) => [a, 'locked'] as const),
      ...frozen.coolingDown.map((a) => [a, 'cooling_down'] as const),
    ]);
    let planId: string | null = null;
    if (frozen.planned.length > 0) {
      const drift = mergedDrift(members);
      // The plan's events are caused by the event that opened the batch.
      const caused: UnitOfWorkContext = {
        manager: work.manager,
        publish: (...events) => {
          work.publish(...events.map((e) => ({ ...e, causationId: e.causationId ?? batch.firstEventId })));
        },
      };
      const plan = await this.plan(caused, {
        organisation: batch.organisation,
        source: 'drift',
        sourceRef: batch.id,
        family: batch.family,
        toVersion: batch.toVersion,
        environment: batch.environment,
        assetIds: frozen.planned,
        factors: driftRiskFactors({ ...drift, environment: batch.environment }),
        complianceImpact: 0,
        requestedBy: { kind: 'service', id: 'drift' },
        autoStart: true,
      });
      planId = plan.id;
    }
    const detail =
      `${members.length} drift(s): ${frozen.planned.length} planned, ${frozen.locked.length} locked, ` +
      `${frozen.coolingDown.length} cooling down`;
    await batches.close(batch.id, { planId, detail }, dispositions, now);
    if (frozen.locked.length + frozen.coolingDown.length > 0) {
      this.logger.log(`drift batch ${batch.id}: ${detail}`);
    }
    return { batchId: batch.id, planId, ...frozen };
  }
}
