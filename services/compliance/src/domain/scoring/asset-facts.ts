/** What is known about one asset, as the scoring needs it. Each fact names the events it came from. */
export interface AssetFacts {
  readonly assetId: string;
  readonly environment: string | null;
  /** Provider power state; `terminated` assets are not scored. */
  readonly state: string;
  /** Removed from inventory: not scored. */
  readonly removed: boolean;
  /** Provider image reference the asset runs, when inventory reports one. */
  readonly imageRef: string | null;
  readonly assetEventId: string;
  readonly image: ImageFacts | null;
  readonly drift: DriftFacts | null;
  /** Drift coverage of the asset's environment, from the latest environment snapshot. */
  readonly coverage: CoverageFacts | null;
  readonly recovery: RecoveryFacts;
}

export interface ImageFacts {
  readonly imageVersionId: string;
  readonly signatureVerified: boolean;
  readonly sbomPresent: boolean;
  readonly cisLevel: number | null;
  readonly slsaBuildLevel: number | null;
  readonly revoked: boolean;
  /** image.published, then image.revoked when revoked. */
  readonly eventIds: readonly string[];
}

export interface DriftFacts {
  readonly open: boolean;
  /** When the open drift was detected. */
  readonly detectedAt: Date;
  readonly eventId: string;
}

export interface CoverageFacts {
  readonly coveragePct: number;
  readonly takenAt: Date;
  readonly eventId: string;
}

export interface RecoveryFacts {
  readonly lastBackup: { readonly completedAt: Date; readonly eventId: string } | null;
  readonly lastRestore: {
    readonly verified: boolean;
    readonly completedAt: Date;
    readonly eventId: string;
  } | null;
  readonly lastDrill: {
    readonly passed: boolean;
    readonly completedAt: Date;
    readonly eventId: string;
  } | null;
}

/** Terminated or removed assets are out of every score. */
export function isScored(asset: Pick<AssetFacts, 'state' | 'removed'>): boolean {
  return !asset.removed && asset.state !== 'terminated';
}
