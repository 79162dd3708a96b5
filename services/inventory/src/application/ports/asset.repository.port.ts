import type { TrackedAsset } from '../../domain/asset/asset.entity';
import type { StoredFingerprint } from '../../domain/scan/scan-chunk.triage';

/** An active asset a successful scan did not see, with its miss counter after this scan. */
export interface MissedAsset {
  readonly asset: TrackedAsset;
  readonly missedScans: number;
}

export interface AssetRemoval {
  readonly assetId: string;
  readonly reason: 'missed_scans' | 'deleted';
  readonly removedAt: Date;
}

/** The asset store, bound to one transaction. Every method is set-based: a constant number of statements, whatever the size. */
export interface AssetRepository {
  /** Just enough of these assets to triage a chunk (one short row each); unknown ids are absent. */
  findFingerprints(assetIds: readonly string[]): Promise<StoredFingerprint[]>;
  /** Stored state of these assets, removed ones included; unknown ids are absent from the result. */
  findByIds(assetIds: readonly string[]): Promise<TrackedAsset[]>;
  /** Inserts or fully replaces these assets. */
  upsert(assets: readonly TrackedAsset[]): Promise<void>;
  /**
   * Stores assets that were not stored when the chunk was read: the fast path of a first scan. One
   * that another scan stored in the meantime is replaced, as `upsert` would.
   */
  insert(assets: readonly TrackedAsset[]): Promise<void>;
  /** Records that a scan saw these (unchanged) assets: last seen, scan id, miss counter reset. */
  markSeen(assetIds: readonly string[], sighting: { scanId: string; seenAt: Date }): Promise<void>;
  /** Counts one more miss for every active asset of the connector the scan did not see, and returns them. */
  recordMisses(connectorId: string, scanId: string): Promise<MissedAsset[]>;
  /** Removed assets leave the asset graph: their edges are derived from active assets only. */
  markRemoved(removals: readonly AssetRemoval[]): Promise<void>;
}
