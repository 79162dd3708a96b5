/** Where an asset runs, as inventory reports it. */
export type AssetPlatform = 'aws' | 'azure' | 'gcp' | 'vsphere' | 'simulated' | 'file';

/** Power state; terminated assets leave the fleet. */
export type PowerState = 'running' | 'stopped' | 'terminated';

export type DriftCause = 'outdated' | 'revoked';

/** An asset as the drift engine knows it: only what decides its verdict and its report group. */
export interface AssetFacts {
  readonly assetId: string;
  readonly environment: string;
  readonly platform: AssetPlatform;
  readonly site: string | null;
  readonly region: string;
  readonly imageRef: string | null;
  readonly state: PowerState;
}

/** Where a provider image reference resolves to in the golden-image catalogue. */
export interface ImageCoordinates {
  readonly family: string;
  readonly version: string;
}

/**
 * What an asset's image means for compliance. `unmanaged`: its image is not a known golden image, or its
 * family has no prod version yet, so there is nothing to be compliant with.
 */
export type AssetVerdict =
  | { readonly kind: 'unmanaged'; readonly family: string | null; readonly version: string | null }
  | { readonly kind: 'compliant'; readonly family: string; readonly version: string }
  | {
      readonly kind: 'drifting';
      readonly family: string;
      readonly version: string;
      readonly expectedVersion: string;
      readonly cause: DriftCause;
      /** When the running version was superseded, or its revocation took effect (epoch ms). */
      readonly since: number;
    };

/** An open drift episode of one asset; `drift.resolved` closes it. */
export interface DriftEpisode {
  readonly driftId: string;
  readonly family: string;
  readonly runningVersion: string;
  readonly expectedVersion: string;
  readonly cause: DriftCause;
  readonly since: number;
  /** When the episode opened (epoch ms). */
  readonly openedAt: number;
}

export type DriftResolution = 'remediated' | 'updated_out_of_band' | 'asset_removed' | 'baseline_changed';

/** A change of an asset's drift episode that the outside world hears about. */
export type DriftTransition =
  | {
      readonly kind: 'detected';
      readonly asset: AssetFacts;
      readonly episode: DriftEpisode;
      readonly at: number;
    }
  | {
      readonly kind: 'resolved';
      readonly asset: AssetFacts;
      readonly episode: DriftEpisode;
      readonly resolution: DriftResolution;
      readonly currentVersion: string | null;
      /** The remediation plan that moved the asset to `currentVersion`, when `remediated`. */
      readonly remediationPlanId?: string;
      readonly at: number;
    };

/** Inputs of the engine, mapped from image.* and asset.* events. Times are epoch ms. */
export type DriftInput =
  | {
      readonly kind: 'image-published';
      readonly family: string;
      readonly version: string;
      readonly artifacts: readonly { readonly platform: AssetPlatform; readonly imageRef: string }[];
      readonly allowedLagVersions: number | null;
      readonly at: number;
    }
  | {
      readonly kind: 'image-promoted';
      readonly family: string;
      readonly version: string;
      readonly toChannel: 'dev' | 'staging' | 'prod';
      readonly allowedLagVersions: number | null;
      readonly at: number;
    }
  | {
      readonly kind: 'image-revoked';
      readonly versions: readonly ImageCoordinates[];
      readonly effectiveAt: number;
    }
  | { readonly kind: 'asset-seen'; readonly asset: AssetFacts }
  | { readonly kind: 'asset-removed'; readonly assetId: string };
