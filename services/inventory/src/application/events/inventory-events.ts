import type { AssetDiscoveredV1, AssetRemovedV1, AssetUpdatedV1, ScanCompletedV1 } from '@rf/contracts';
import type { TrackedAsset } from '../../domain/asset/asset.entity';
import type { Platform } from '../../domain/asset/platform';
import type { FieldChange } from '../../domain/change-detection/asset-change.detector';
import type { ScanOutcome, ScanProblem } from '../../domain/scan/scan-problem';
import type { ScanCounts } from '../../domain/scan/scan-tally';

export const ASSET_DISCOVERED = 'io.resiliencefabric.asset.discovered.v1';
export const ASSET_UPDATED = 'io.resiliencefabric.asset.updated.v1';
export const ASSET_REMOVED = 'io.resiliencefabric.asset.removed.v1';
export const SCAN_COMPLETED = 'io.resiliencefabric.scan.completed.v1';

interface Envelope {
  readonly time: Date;
  /** The organisation of the asset or scan (its connector's): the `ce_organisation` of the event. */
  readonly organisation: string;
}

/** The events inventory emits, with their contract data types. */
export type InventoryEvent =
  | (Envelope & { readonly type: typeof ASSET_DISCOVERED; readonly data: AssetDiscoveredV1 })
  | (Envelope & { readonly type: typeof ASSET_UPDATED; readonly data: AssetUpdatedV1 })
  | (Envelope & { readonly type: typeof ASSET_REMOVED; readonly data: AssetRemovedV1 })
  | (Envelope & { readonly type: typeof SCAN_COMPLETED; readonly data: ScanCompletedV1 });

const MAX_MESSAGE = 2000;

/** Full asset state shared by `asset.discovered` and `asset.updated`; absent attributes are omitted. */
function assetState(asset: TrackedAsset, scanId: string): AssetDiscoveredV1 {
  const data: AssetDiscoveredV1 = {
    assetId: asset.assetId,
    connectorId: asset.connectorId,
    scanId,
    platform: asset.platform,
    account: asset.account,
    region: asset.region,
    instanceId: asset.instanceId,
    state: asset.state,
    tags: { ...asset.tags },
    discoveredAt: asset.discoveredAt.toISOString(),
    lastSeenAt: asset.lastSeenAt.toISOString(),
  };
  if (asset.site !== null) data.site = asset.site;
  if (asset.environment !== null) data.environment = asset.environment;
  if (asset.project !== null) data.project = asset.project;
  if (asset.imageRef !== null) data.imageRef = asset.imageRef;
  if (asset.imageVersion !== null) data.imageVersion = asset.imageVersion;
  return data;
}

export function assetDiscovered(asset: TrackedAsset, scanId: string): InventoryEvent {
  return {
    type: ASSET_DISCOVERED,
    data: assetState(asset, scanId),
    time: asset.lastSeenAt,
    organisation: asset.organisation,
  };
}

export function assetUpdated(
  asset: TrackedAsset,
  changes: readonly FieldChange[],
  scanId: string,
): InventoryEvent {
  return {
    type: ASSET_UPDATED,
    data: { ...assetState(asset, scanId), changes: changes.map((c) => ({ ...c })) },
    time: asset.lastSeenAt,
    organisation: asset.organisation,
  };
}

export function assetRemoved(
  asset: TrackedAsset,
  removal: { reason: AssetRemovedV1['reason']; missedScans: number; removedAt: Date },
  scanId: string,
): InventoryEvent {
  const data: AssetRemovedV1 = {
    assetId: asset.assetId,
    connectorId: asset.connectorId,
    scanId,
    platform: asset.platform,
    account: asset.account,
    region: asset.region,
    instanceId: asset.instanceId,
    reason: removal.reason,
    missedScans: removal.missedScans,
    lastSeenAt: asset.lastSeenAt.toISOString(),
    removedAt: removal.removedAt.toISOString(),
  };
  if (asset.site !== null) data.site = asset.site;
  if (asset.environment !== null) data.environment = asset.environment;
  return { type: ASSET_REMOVED, data, time: removal.removedAt, organisation: asset.organisation };
}

export interface CompletedScan {
  readonly scanId: string;
  readonly organisation: string;
  readonly connectorId: string;
  readonly platform: Platform;
  readonly outcome: ScanOutcome;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly counts: ScanCounts;
  readonly problems: readonly ScanProblem[];
}

export function scanCompleted(scan: CompletedScan): InventoryEvent {
  return {
    type: SCAN_COMPLETED,
    data: {
      scanId: scan.scanId,
      connectorId: scan.connectorId,
      platform: scan.platform,
      outcome: scan.outcome,
      startedAt: scan.startedAt.toISOString(),
      finishedAt: scan.finishedAt.toISOString(),
      counts: {
        discovered: scan.counts.discovered,
        updated: scan.counts.updated,
        removed: scan.counts.removed,
        unchanged: scan.counts.unchanged,
      },
      errors: scan.problems.map((p) => {
        const error: ScanCompletedV1['errors'][number] = {
          code: p.code,
          message: p.message.slice(0, MAX_MESSAGE),
          retriable: p.retriable,
        };
        if (p.account) error.account = p.account.slice(0, 128);
        if (p.region) error.region = p.region.slice(0, 64);
        return error;
      }),
    },
    time: scan.finishedAt,
    organisation: scan.organisation,
  };
}
