import type { InventoryEvent } from '../../application/events/inventory-events';
import type {
  AssetRemoval,
  AssetRepository,
  MissedAsset,
} from '../../application/ports/asset.repository.port';
import type {
  InventoryTransaction,
  InventoryUnitOfWork,
} from '../../application/ports/inventory-unit-of-work.port';
import type { ScanLease, ScanLock } from '../../application/ports/scan-lock.port';
import type {
  NewScan,
  ScanRecord,
  ScanRepository,
  ScanStatus,
} from '../../application/ports/scan.repository.port';
import type { TrackedAsset } from '../../domain/asset/asset.entity';
import { type AssetEdge, edgesOf } from '../../domain/graph/asset-graph';
import { InventoryError } from '../../domain/inventory.error';
import type { StoredFingerprint } from '../../domain/scan/scan-chunk.triage';
import type { ScanProblem } from '../../domain/scan/scan-problem';
import { NO_COUNTS, type ScanCounts } from '../../domain/scan/scan-tally';

interface State {
  readonly assets: Map<string, TrackedAsset>;
  readonly scans: Map<string, ScanRecord>;
  readonly outbox: InventoryEvent[];
}

function copy(state: State): State {
  return {
    assets: new Map(state.assets),
    scans: new Map(state.scans),
    outbox: [...state.outbox],
  };
}

function leaseLost(scanId: string): InventoryError {
  return new InventoryError('INVENTORY.SCAN_LEASE_LOST', `Scan ${scanId} is no longer running`, {
    retriable: true,
  });
}

/**
 * The inventory ports in memory, for fast tests of the use cases. Transactions run one at a time on a
 * copy of the state that replaces it on success, so a failed unit of work leaves no trace.
 */
export class InMemoryInventoryStore implements InventoryUnitOfWork, ScanLock {
  private state: State = { assets: new Map(), scans: new Map(), outbox: [] };
  private readonly locks = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  get assets(): ReadonlyMap<string, TrackedAsset> {
    return this.state.assets;
  }

  get outbox(): readonly InventoryEvent[] {
    return this.state.outbox;
  }

  get scans(): readonly ScanRecord[] {
    return [...this.state.scans.values()];
  }

  /** The asset's graph edges, derived from its attributes as the database's view derives them. */
  edgesOf(assetId: string): AssetEdge[] {
    const asset = this.state.assets.get(assetId);
    return asset && asset.removedAt === null ? edgesOf(asset) : [];
  }

  run<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      const draft = copy(this.state);
      const pending: InventoryEvent[] = [];
      const value = await work({
        assets: new InMemoryAssets(draft),
        scans: new InMemoryScans(draft),
        publish: (...events) => {
          pending.push(...events);
        },
        // Events join the outbox with the draft, all at once.
        flushEvents: () => Promise.resolve(),
      });
      draft.outbox.push(...pending);
      this.state = draft;
      return value;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  tryAcquire(connectorId: string): Promise<ScanLease | undefined> {
    if (this.locks.has(connectorId)) return Promise.resolve(undefined);
    this.locks.add(connectorId);
    return Promise.resolve({
      release: () => {
        this.locks.delete(connectorId);
        return Promise.resolve();
      },
    });
  }
}

class InMemoryAssets implements AssetRepository {
  constructor(private readonly state: State) {}

  findFingerprints(assetIds: readonly string[]): Promise<StoredFingerprint[]> {
    return Promise.resolve(
      assetIds.flatMap((id) => {
        const asset = this.state.assets.get(id);
        if (!asset) return [];
        const { assetId, connectorId, lastSeenScanId, fingerprint } = asset;
        return [{ assetId, connectorId, lastSeenScanId, fingerprint, removed: asset.removedAt !== null }];
      }),
    );
  }

  findByIds(assetIds: readonly string[]): Promise<TrackedAsset[]> {
    return Promise.resolve(assetIds.flatMap((id) => this.state.assets.get(id) ?? []));
  }

  upsert(assets: readonly TrackedAsset[]): Promise<void> {
    for (const asset of assets) this.state.assets.set(asset.assetId, asset);
    return Promise.resolve();
  }

  insert(assets: readonly TrackedAsset[]): Promise<void> {
    return this.upsert(assets);
  }

  markSeen(assetIds: readonly string[], sighting: { scanId: string; seenAt: Date }): Promise<void> {
    for (const id of assetIds) {
      const asset = this.state.assets.get(id);
      if (asset) {
        this.state.assets.set(id, {
          ...asset,
          lastSeenAt: sighting.seenAt,
          lastSeenScanId: sighting.scanId,
          missedScans: 0,
        });
      }
    }
    return Promise.resolve();
  }

  recordMisses(connectorId: string, scanId: string): Promise<MissedAsset[]> {
    const missed: MissedAsset[] = [];
    for (const asset of this.state.assets.values()) {
      if (asset.connectorId !== connectorId || asset.removedAt !== null || asset.lastSeenScanId === scanId)
        continue;
      const updated = { ...asset, missedScans: asset.missedScans + 1 };
      this.state.assets.set(asset.assetId, updated);
      missed.push({ asset: updated, missedScans: updated.missedScans });
    }
    return Promise.resolve(missed);
  }

  markRemoved(removals: readonly AssetRemoval[]): Promise<void> {
    for (const removal of removals) {
      const asset = this.state.assets.get(removal.assetId);
      if (asset) {
        this.state.assets.set(removal.assetId, {
          ...asset,
          removedAt: removal.removedAt,
          removalReason: removal.reason,
        });
      }
    }
    return Promise.resolve();
  }
}

class InMemoryScans implements ScanRepository {
  constructor(private readonly state: State) {}

  start(scan: NewScan): Promise<number> {
    let sequence = 0;
    for (const [id, record] of this.state.scans) {
      if (record.connectorId !== scan.connectorId) continue;
      sequence = Math.max(sequence, record.sequence);
      if (record.status === 'running') {
        this.state.scans.set(id, { ...record, status: 'abandoned', finishedAt: scan.startedAt });
      }
    }
    this.state.scans.set(scan.scanId, {
      ...scan,
      sequence: sequence + 1,
      status: 'running',
      finishedAt: null,
      counts: NO_COUNTS,
      problems: [],
    });
    return Promise.resolve(sequence + 1);
  }

  recordSkipped(scan: NewScan, finishedAt: Date, problem: ScanProblem): Promise<void> {
    const sequence = Math.max(
      0,
      ...[...this.state.scans.values()]
        .filter((s) => s.connectorId === scan.connectorId)
        .map((s) => s.sequence),
    );
    this.state.scans.set(scan.scanId, {
      ...scan,
      sequence: sequence + 1,
      status: 'skipped',
      finishedAt,
      counts: NO_COUNTS,
      problems: [problem],
    });
    return Promise.resolve();
  }

  prune(retention: { startedBefore: Date; keepLatest: number }): Promise<number> {
    const byConnector = new Map<string, ScanRecord[]>();
    for (const record of this.state.scans.values()) {
      if (record.status === 'running') continue;
      byConnector.set(record.connectorId, [...(byConnector.get(record.connectorId) ?? []), record]);
    }
    let deleted = 0;
    for (const records of byConnector.values()) {
      const old = records
        .sort((a, b) => b.sequence - a.sequence)
        .slice(retention.keepLatest)
        .filter((r) => r.startedAt < retention.startedBefore);
      for (const record of old) this.state.scans.delete(record.scanId);
      deleted += old.length;
    }
    return Promise.resolve(deleted);
  }

  recordProgress(scanId: string, counts: ScanCounts): Promise<void> {
    const record = this.running(scanId);
    this.state.scans.set(scanId, { ...record, counts });
    return Promise.resolve();
  }

  finish(
    scanId: string,
    result: { status: ScanStatus; finishedAt: Date; counts: ScanCounts; problems: readonly ScanProblem[] },
  ): Promise<void> {
    const record = this.running(scanId);
    this.state.scans.set(scanId, { ...record, ...result });
    return Promise.resolve();
  }

  history(connectorId: string, limit: number): Promise<ScanRecord[]> {
    return Promise.resolve(
      [...this.state.scans.values()]
        .filter((s) => s.connectorId === connectorId)
        .sort((a, b) => b.sequence - a.sequence)
        .slice(0, limit),
    );
  }

  private running(scanId: string): ScanRecord {
    const record = this.state.scans.get(scanId);
    if (record?.status !== 'running') throw leaseLost(scanId);
    return record;
  }
}
