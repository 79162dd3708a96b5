import type { ObservedAsset, Sighting } from '../asset/asset.entity';
import { fingerprintOf } from '../change-detection/asset-fingerprint';

/** What inventory keeps of an asset to tell, cheaply, whether a scan needs to look closer. */
export interface StoredFingerprint {
  readonly assetId: string;
  readonly connectorId: string;
  readonly lastSeenScanId: string;
  readonly removed: boolean;
  readonly fingerprint: string;
}

export interface ChunkTriage {
  /** Known, active, same connector and same fingerprint: only their sighting needs recording. */
  readonly unchangedIds: readonly string[];
  /** Everything else, once per asset: reconcile against the full stored state. */
  readonly toReconcile: readonly ObservedAsset[];
  /** Records of an asset already seen in this scan (in this chunk or an earlier one). */
  readonly duplicates: number;
}

/**
 * First pass over a chunk: drops repeated records (the first wins) and sets aside assets whose stored
 * fingerprint proves them unchanged, so only new, changed or otherwise special assets are loaded in
 * full and compared field by field.
 */
export function triageChunk(
  observed: readonly ObservedAsset[],
  stored: ReadonlyMap<string, StoredFingerprint>,
  sighting: Sighting,
): ChunkTriage {
  const unchangedIds: string[] = [];
  const toReconcile: ObservedAsset[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  for (const asset of observed) {
    const known = stored.get(asset.assetId);
    if (seen.has(asset.assetId) || known?.lastSeenScanId === sighting.scanId) {
      duplicates += 1;
      continue;
    }
    seen.add(asset.assetId);
    const unchanged =
      known !== undefined &&
      !known.removed &&
      known.connectorId === sighting.connectorId &&
      known.fingerprint === fingerprintOf(asset);
    if (unchanged) unchangedIds.push(asset.assetId);
    else toReconcile.push(asset);
  }
  return { unchangedIds, toReconcile, duplicates };
}
