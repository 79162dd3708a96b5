import { fingerprintOf } from '../change-detection/asset-fingerprint';
import type { AssetState } from './asset-state';
import type { Platform } from './platform';

export type Tags = Readonly<Record<string, string>>;

/** The attributes of an asset that can change from one scan to the next. */
export interface AssetAttributes {
  readonly site: string | null;
  readonly environment: string | null;
  readonly project: string | null;
  readonly imageRef: string | null;
  /** Derived from the image name or tags; stored for drift queries, not an event field. */
  readonly imageFamily: string | null;
  readonly imageVersion: string | null;
  readonly state: AssetState;
  readonly tags: Tags;
}

/** An asset as one scan saw it, normalised and identified. */
export interface ObservedAsset extends AssetAttributes {
  readonly assetId: string;
  /** The organisation of the connector that listed it; part of its identity, never changes. */
  readonly organisation: string;
  readonly platform: Platform;
  readonly account: string;
  readonly region: string;
  readonly instanceId: string;
}

export type RemovalReason = 'missed_scans' | 'terminated' | 'deleted';

/** An asset as inventory tracks it across scans. Removed assets are kept, so a return is recognised. */
export interface TrackedAsset extends ObservedAsset {
  /** The connector that last reported it; missed scans are counted per connector. */
  readonly connectorId: string;
  readonly discoveredAt: Date;
  readonly lastSeenAt: Date;
  readonly lastSeenScanId: string;
  /** Consecutive successful scans of its connector that did not see it. */
  readonly missedScans: number;
  readonly removedAt: Date | null;
  readonly removalReason: RemovalReason | null;
  /** `fingerprintOf` the attributes as stored: lets a scan skip loading unchanged assets. */
  readonly fingerprint: string;
}

export interface Sighting {
  readonly connectorId: string;
  readonly scanId: string;
  readonly seenAt: Date;
}

export function isActive(asset: TrackedAsset): boolean {
  return asset.removedAt === null;
}

/** Starts tracking an asset seen for the first time (or again, after it was removed). */
export function trackAsset(observed: ObservedAsset, sighting: Sighting): TrackedAsset {
  return {
    ...observed,
    connectorId: sighting.connectorId,
    discoveredAt: sighting.seenAt,
    lastSeenAt: sighting.seenAt,
    lastSeenScanId: sighting.scanId,
    missedScans: 0,
    removedAt: null,
    removalReason: null,
    fingerprint: fingerprintOf(observed),
  };
}

/** The new state of a tracked asset after a scan saw it again. */
export function resight(previous: TrackedAsset, observed: ObservedAsset, sighting: Sighting): TrackedAsset {
  return {
    ...observed,
    connectorId: sighting.connectorId,
    discoveredAt: previous.discoveredAt,
    lastSeenAt: sighting.seenAt,
    lastSeenScanId: sighting.scanId,
    missedScans: 0,
    removedAt: null,
    removalReason: null,
    fingerprint: fingerprintOf(observed),
  };
}
