import type { ObservedAsset, Sighting, TrackedAsset } from '../asset/asset.entity';
import { resight, trackAsset } from '../asset/asset.entity';
import { classifyObservation, type FieldChange } from '../change-detection/asset-change.detector';
import { fingerprintOf } from '../change-detection/asset-fingerprint';
import type { ScanCounts } from './scan-tally';

export interface UpdatedAsset {
  readonly asset: TrackedAsset;
  readonly changes: readonly FieldChange[];
}

/** What one chunk of a scan changes, decided from the observations and the stored state alone. */
export interface ChunkReconciliation {
  /** First seen, or seen again after removal: stored in full, announced with `asset.discovered`. */
  readonly discovered: readonly TrackedAsset[];
  /** Known and changed: stored in full, announced with `asset.updated`. */
  readonly updated: readonly UpdatedAsset[];
  /** Reported terminated by the provider while tracked: stored as removed, announced with `asset.removed`. */
  readonly terminated: readonly TrackedAsset[];
  /** Unchanged for consumers, but the stored row differs (derived fields, fingerprint, reporting connector). */
  readonly refreshed: readonly TrackedAsset[];
  /** Unchanged: only their sighting is recorded. */
  readonly unchangedIds: readonly string[];
  readonly counts: Pick<
    ScanCounts,
    'discovered' | 'updated' | 'removed' | 'unchanged' | 'duplicates' | 'ignored'
  >;
}

/**
 * Reconciles one chunk of observations with what inventory already tracks. Pure: the caller loads
 * `previous` for the chunk's ids and applies the result in one transaction. An asset observed twice in
 * a scan (within this chunk, or already stamped with this scan id) counts once: the first record wins.
 */
export function reconcileChunk(
  observed: readonly ObservedAsset[],
  previous: ReadonlyMap<string, TrackedAsset>,
  sighting: Sighting,
): ChunkReconciliation {
  const discovered: TrackedAsset[] = [];
  const updated: UpdatedAsset[] = [];
  const terminated: TrackedAsset[] = [];
  const refreshed: TrackedAsset[] = [];
  const unchangedIds: string[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let ignored = 0;

  for (const asset of observed) {
    const before = previous.get(asset.assetId);
    if (seen.has(asset.assetId) || before?.lastSeenScanId === sighting.scanId) {
      duplicates += 1;
      continue;
    }
    seen.add(asset.assetId);
    const observation = classifyObservation(before, asset);

    if (asset.state === 'terminated') {
      if (observation.kind === 'new') ignored += 1;
      else terminated.push(removeTerminated(before, asset, sighting));
      continue;
    }
    switch (observation.kind) {
      case 'new':
        discovered.push(trackAsset(asset, sighting));
        break;
      case 'updated':
        updated.push({
          asset: resight(requireTracked(before), asset, sighting),
          changes: observation.changes,
        });
        break;
      case 'unchanged': {
        const tracked = requireTracked(before);
        if (tracked.fingerprint !== fingerprintOf(asset) || tracked.connectorId !== sighting.connectorId) {
          refreshed.push(resight(tracked, asset, sighting));
        } else {
          unchangedIds.push(asset.assetId);
        }
        break;
      }
    }
  }
  return {
    discovered,
    updated,
    terminated,
    refreshed,
    unchangedIds,
    counts: {
      discovered: discovered.length,
      updated: updated.length,
      removed: terminated.length,
      unchanged: unchangedIds.length + refreshed.length,
      duplicates,
      ignored,
    },
  };
}

function requireTracked(asset: TrackedAsset | undefined): TrackedAsset {
  if (asset === undefined) throw new Error('reconcileChunk: a known asset has no stored state');
  return asset;
}

function removeTerminated(
  before: TrackedAsset | undefined,
  asset: ObservedAsset,
  sighting: Sighting,
): TrackedAsset {
  return {
    ...resight(requireTracked(before), asset, sighting),
    removedAt: sighting.seenAt,
    removalReason: 'terminated',
  };
}
