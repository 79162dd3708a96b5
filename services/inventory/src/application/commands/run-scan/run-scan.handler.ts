import { randomUUID } from 'node:crypto';
import type { ObservedAsset, TrackedAsset } from '../../../domain/asset/asset.entity';
import type { RemovalPolicy } from '../../../domain/change-detection/removal.policy';
import { InventoryError } from '../../../domain/inventory.error';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import { reconcileChunk } from '../../../domain/scan/scan-chunk.reconciler';
import { triageChunk } from '../../../domain/scan/scan-chunk.triage';
import { outcomeOf, type ScanOutcome, type ScanProblem } from '../../../domain/scan/scan-problem';
import { ScanProblemLog } from '../../../domain/scan/scan-problem-log';
import { addCounts, NO_COUNTS, type ScanCounts } from '../../../domain/scan/scan-tally';
import { assetDiscovered, assetRemoved, assetUpdated, scanCompleted } from '../../events/inventory-events';
import type { Clock } from '../../ports/clock.port';
import type { Connector } from '../../ports/connector.port';
import type { InventoryUnitOfWork } from '../../ports/inventory-unit-of-work.port';
import type { ScanLock } from '../../ports/scan-lock.port';
import type { RunScanCommand } from './run-scan.command';

export interface RunScanSettings {
  /** Assets reconciled and committed per transaction. */
  readonly chunkSize: number;
  /** Problems listed in `scan.completed`; the rest are counted. */
  readonly maxReportedProblems: number;
}

export const DEFAULT_RUN_SCAN_SETTINGS: RunScanSettings = { chunkSize: 5_000, maxReportedProblems: 50 };

export interface ScanSummary {
  readonly scanId: string;
  readonly connectorId: string;
  readonly sequence: number;
  readonly outcome: ScanOutcome;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly counts: ScanCounts;
  readonly problems: readonly ScanProblem[];
}

/** A scan that holds its connector's lock and is recorded as running; `completion` settles when it ends. */
export interface StartedScan {
  readonly scanId: string;
  readonly connectorId: string;
  readonly sequence: number;
  readonly startedAt: Date;
  readonly completion: Promise<ScanSummary>;
}

interface ScanContext {
  readonly connector: Connector;
  /** The connector's organisation: every asset, scan record and event of the scan is in it. */
  readonly organisation: string;
  readonly scanId: string;
}

/**
 * Runs one scan of a connector: normalise → dedup → change detection → bulk upsert → events for real
 * changes only → one `scan.completed`. Change detection first triages each chunk by stored
 * fingerprint, so the unchanged majority costs one short row read and one HOT update per asset.
 *
 * Each chunk of `chunkSize` assets commits in its own transaction together with its events, and a
 * final transaction decides missed-scan removals and writes the summary. A scan of a million assets
 * thus never holds one huge transaction (which would pin memory, hold back vacuum and release a
 * million outbox rows at once); a crash mid-scan leaves committed chunks consistent with their events,
 * and the next scan's change detection simply carries on from the stored state.
 */
export class RunScanHandler {
  constructor(
    private readonly unitOfWork: InventoryUnitOfWork,
    private readonly lock: ScanLock,
    private readonly clock: Clock,
    private readonly removalPolicy: RemovalPolicy,
    private readonly settings: RunScanSettings = DEFAULT_RUN_SCAN_SETTINGS,
  ) {
    if (!Number.isInteger(settings.chunkSize) || settings.chunkSize < 1) {
      throw new InventoryError('INVENTORY.INVALID_CONFIGURATION', `chunkSize must be a positive integer`, {
        metadata: { chunkSize: settings.chunkSize },
      });
    }
  }

  async execute(command: RunScanCommand): Promise<ScanSummary> {
    return (await this.start(command)).completion;
  }

  /**
   * Takes the connector's scan lock and records the scan as running, then lists and ingests in the
   * background. Fails at once with `INVENTORY.SCAN_ALREADY_RUNNING` when another scan of the connector
   * runs, in this process or another.
   */
  async start(command: RunScanCommand): Promise<StartedScan> {
    const { connector } = command;
    const lease = await this.lock.tryAcquire(connector.id);
    const trigger = command.options.trigger ?? 'on_demand';
    if (!lease) {
      const refusal = new InventoryError(
        'INVENTORY.SCAN_ALREADY_RUNNING',
        `A scan of connector ${connector.id} is running`,
        { retriable: true, metadata: { connectorId: connector.id } },
      );
      // A request hears of it at once; a schedule has no caller, so the history keeps the skipped slot.
      if (trigger === 'scheduled') await this.recordSkipped(connector, command.organisation, refusal);
      throw refusal;
    }
    const scanId = randomUUID();
    const startedAt = this.clock.now();
    let sequence: number;
    try {
      sequence = await this.unitOfWork.run((tx) =>
        tx.scans.start({
          scanId,
          organisation: command.organisation,
          connectorId: connector.id,
          connectorKind: connector.kind,
          trigger,
          startedAt,
        }),
      );
    } catch (error: unknown) {
      await lease.release();
      throw error;
    }
    const scanning = this.scan(command, { scanId, sequence, startedAt });
    const completion = scanning.finally(() => lease.release());
    return { scanId, connectorId: connector.id, sequence, startedAt, completion };
  }

  private recordSkipped(connector: Connector, organisation: string, refusal: InventoryError): Promise<void> {
    const now = this.clock.now();
    return this.unitOfWork.run((tx) =>
      tx.scans.recordSkipped(
        {
          scanId: randomUUID(),
          organisation,
          connectorId: connector.id,
          connectorKind: connector.kind,
          trigger: 'scheduled',
          startedAt: now,
        },
        now,
        { code: refusal.code, message: refusal.message, retriable: true },
      ),
    );
  }

  private async scan(
    command: RunScanCommand,
    started: { scanId: string; sequence: number; startedAt: Date },
  ): Promise<ScanSummary> {
    const { connector } = command;
    const { scanId, sequence, startedAt } = started;
    const signal = command.options.signal ?? new AbortController().signal;
    const ctx: ScanContext = { connector, organisation: command.organisation, scanId };
    const normalisation = { ...command.options.normalisation, organisation: command.organisation };
    const problems = new ScanProblemLog(this.settings.maxReportedProblems);
    let rejected = 0;
    // While one chunk commits, the next is reconciled and written, and the one after is listed and
    // normalised: the connector, the service and the database work at the same time. Chunks still
    // commit one at a time and in order.
    const pipeline = new ChunkPipeline((chunk, before) => this.ingestChunk(ctx, chunk, before));
    let ranToEnd = false;
    try {
      let buffer: ObservedAsset[] = [];
      for await (const page of connector.pages({ scanId, sequence, signal })) {
        signal.throwIfAborted();
        for (const problem of page.problems ?? []) problems.add(problem);
        for (const record of page.records) {
          const result = normaliseAsset(record, normalisation);
          if (result.ok) {
            buffer.push(result.asset);
          } else {
            rejected += 1;
            problems.add(rejectedRecord(record, result.problems));
          }
        }
        while (buffer.length >= this.settings.chunkSize) {
          await pipeline.write(buffer.slice(0, this.settings.chunkSize), { rejected });
          buffer = buffer.slice(this.settings.chunkSize);
        }
      }
      signal.throwIfAborted();
      if (buffer.length > 0) await pipeline.write(buffer, { rejected });
      await pipeline.drain();
      ranToEnd = true;
    } catch (error: unknown) {
      for (const problem of problemsOf(error, signal)) problems.add(problem);
    }
    // A chunk still being written when the listing failed counts if it commits.
    const ingested = await pipeline.settle();
    const counts = addCounts(ingested, { rejected: rejected - ingested.rejected });
    const outcome = outcomeOf(ranToEnd, problems.reported());
    return this.complete(ctx, { sequence, startedAt, outcome, counts, problems: problems.reported() });
  }

  /**
   * Reconciles and writes one chunk, then waits for the chunk before it (`before`, its counts once
   * committed) and commits after it. The pipeline never runs two chunks that share an asset at once,
   * so each reads its assets as the earlier chunks left them.
   */
  private ingestChunk(
    ctx: ScanContext,
    chunk: readonly ObservedAsset[],
    before: Promise<ScanCounts>,
  ): Promise<ScanCounts> {
    return this.unitOfWork.run(async (tx) => {
      const seenAt = this.clock.now();
      const sighting = { connectorId: ctx.connector.id, scanId: ctx.scanId, seenAt };
      // Most of a fleet is unchanged from one scan to the next: recognise those by fingerprint and load
      // only the rest in full.
      const fingerprints = await tx.assets.findFingerprints(chunk.map((a) => a.assetId));
      const triage = triageChunk(chunk, new Map(fingerprints.map((f) => [f.assetId, f])), sighting);
      const stored = new Map(
        (await tx.assets.findByIds(triage.toReconcile.map((a) => a.assetId))).map((a) => [a.assetId, a]),
      );
      const plan = reconcileChunk(triage.toReconcile, stored, sighting);
      const unchangedIds = [...triage.unchangedIds, ...plan.unchangedIds];

      // Assets never stored before (most of a first scan) are appended; the rest are replaced.
      const fresh = plan.discovered.filter((a) => !stored.has(a.assetId));
      const rewritten: TrackedAsset[] = [
        ...plan.discovered.filter((a) => stored.has(a.assetId)),
        ...plan.updated.map((u) => u.asset),
        ...plan.terminated,
        ...plan.refreshed,
      ];
      if (fresh.length > 0) await tx.assets.insert(fresh);
      if (rewritten.length > 0) await tx.assets.upsert(rewritten);
      if (unchangedIds.length > 0) await tx.assets.markSeen(unchangedIds, { scanId: ctx.scanId, seenAt });

      for (const asset of plan.discovered) tx.publish(assetDiscovered(asset, ctx.scanId));
      for (const { asset, changes } of plan.updated) tx.publish(assetUpdated(asset, changes, ctx.scanId));
      for (const asset of plan.terminated) {
        tx.publish(
          assetRemoved(asset, { reason: 'terminated', missedScans: 0, removedAt: seenAt }, ctx.scanId),
        );
      }
      // The outbox rows go in while the previous chunk commits; a failed previous chunk fails this one.
      await tx.flushEvents();
      const after = addCounts(await before, {
        ...plan.counts,
        unchanged: plan.counts.unchanged + triage.unchangedIds.length,
        duplicates: plan.counts.duplicates + triage.duplicates,
      });
      // Fails, and rolls the chunk back, if this scan lost its lease to another process.
      await tx.scans.recordProgress(ctx.scanId, after);
      return after;
    });
  }

  private complete(
    ctx: ScanContext,
    scan: {
      sequence: number;
      startedAt: Date;
      outcome: ScanOutcome;
      counts: ScanCounts;
      problems: readonly ScanProblem[];
    },
  ): Promise<ScanSummary> {
    return this.unitOfWork.run(async (tx) => {
      const finishedAt = this.clock.now();
      let { counts } = scan;
      // Only a complete listing can prove an asset is gone.
      if (scan.outcome === 'succeeded') {
        const missed = await tx.assets.recordMisses(ctx.connector.id, ctx.scanId);
        const removals = missed.filter((m) => this.removalPolicy.removesAfterMisses(m.missedScans));
        if (removals.length > 0) {
          await tx.assets.markRemoved(
            removals.map((m) => ({
              assetId: m.asset.assetId,
              reason: 'missed_scans',
              removedAt: finishedAt,
            })),
          );
          for (const m of removals) {
            tx.publish(
              assetRemoved(
                m.asset,
                { reason: 'missed_scans', missedScans: m.missedScans, removedAt: finishedAt },
                ctx.scanId,
              ),
            );
          }
          counts = addCounts(counts, { removed: removals.length });
        }
      }
      await tx.scans.finish(ctx.scanId, {
        status: scan.outcome,
        finishedAt,
        counts,
        problems: scan.problems,
      });
      const summary: ScanSummary = {
        scanId: ctx.scanId,
        connectorId: ctx.connector.id,
        sequence: scan.sequence,
        outcome: scan.outcome,
        startedAt: scan.startedAt,
        finishedAt,
        counts,
        problems: scan.problems,
      };
      tx.publish(scanCompleted({ ...summary, organisation: ctx.organisation, platform: ctx.connector.kind }));
      return summary;
    });
  }
}

/**
 * Writes up to two chunks at once while the caller prepares the next one. Each chunk gets the counts
 * of the one before it as a promise, and commits only after it; a chunk that shares an asset with the
 * one in flight starts only once that one has committed.
 */
class ChunkPipeline {
  private committed: ScanCounts = NO_COUNTS;
  /** The chunks in flight, oldest first. */
  private inFlight: { readonly writing: Promise<ScanCounts>; readonly ids: ReadonlySet<string> }[] = [];

  constructor(
    private readonly writeChunk: (
      chunk: readonly ObservedAsset[],
      before: Promise<ScanCounts>,
    ) => Promise<ScanCounts>,
  ) {}

  /** Starts writing this chunk once there is room, without waiting for it to commit. */
  async write(chunk: readonly ObservedAsset[], progress: Partial<ScanCounts>): Promise<void> {
    if (this.inFlight.some(({ ids }) => chunk.some((a) => ids.has(a.assetId)))) await this.drain();
    while (this.inFlight.length >= MAX_CHUNKS_IN_FLIGHT) await this.commitOldest();
    const previous = this.inFlight.at(-1)?.writing ?? Promise.resolve(this.committed);
    const { rejected } = progress;
    const before = rejected === undefined ? previous : previous.then((counts) => ({ ...counts, rejected }));
    const writing = this.writeChunk(chunk, before);
    // Observed by drain(); never an unhandled rejection while the next chunk is being prepared.
    writing.catch(() => undefined);
    before.catch(() => undefined);
    this.inFlight.push({ writing, ids: new Set(chunk.map((a) => a.assetId)) });
  }

  /** Counts of everything committed so far; rethrows the failure of a chunk in flight. */
  async drain(): Promise<ScanCounts> {
    while (this.inFlight.length > 0) await this.commitOldest();
    return this.committed;
  }

  /** Like drain(), but a failed chunk, and every chunk after it, simply does not count. */
  async settle(): Promise<ScanCounts> {
    try {
      return await this.drain();
    } catch {
      this.inFlight = [];
      return this.committed;
    }
  }

  private async commitOldest(): Promise<void> {
    const oldest = this.inFlight.shift();
    if (oldest) this.committed = await oldest.writing;
  }
}

const MAX_CHUNKS_IN_FLIGHT = 2;

function rejectedRecord(record: RawAssetRecord, reasons: readonly string[]): ScanProblem {
  const instance = typeof record.instanceId === 'string' ? record.instanceId.slice(0, 200) : '?';
  const problem: { -readonly [K in keyof ScanProblem]: ScanProblem[K] } = {
    code: 'INVENTORY.INVALID_RECORD',
    message: `record ${instance} rejected: ${reasons.join('; ')}`,
    retriable: false,
  };
  if (typeof record.account === 'string' && record.account.trim()) problem.account = record.account.trim();
  if (typeof record.region === 'string' && record.region.trim()) problem.region = record.region.trim();
  return problem;
}

/** What to record of an error that ended a scan early. Provider error texts carry no credentials. */
function problemsOf(error: unknown, signal: AbortSignal): ScanProblem[] {
  if (signal.aborted) {
    return [{ code: 'INVENTORY.SCAN_CANCELLED', message: 'the scan was cancelled', retriable: true }];
  }
  if (error instanceof ConnectorFailure && error.problems.length > 0) return [...error.problems];
  if (error instanceof InventoryError) {
    return [{ code: error.code, message: error.message, retriable: error.retriable }];
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [{ code: 'INVENTORY.SCAN_FAILED', message, retriable: true }];
}
