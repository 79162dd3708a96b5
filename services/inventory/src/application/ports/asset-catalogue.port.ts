import type { AssetState } from '../../domain/asset/asset-state';
import type { TrackedAsset } from '../../domain/asset/asset.entity';
import type { Platform } from '../../domain/asset/platform';
import type { AssetEdge } from '../../domain/graph/asset-graph';

export interface AssetFilter {
  readonly platform?: Platform;
  readonly environment?: string;
  readonly site?: string;
  /** An image reference, or an image family (every version of it). */
  readonly image?: string;
  readonly state?: AssetState;
}

/** Read side of the inventory: active assets for the API, in a stable order. */
export interface AssetCatalogue {
  /** Active assets matching the filter, ordered by id, after the id `after`, at most `limit`. */
  list(filter: AssetFilter, after: string | undefined, limit: number): Promise<TrackedAsset[]>;
  /** The asset, removed or not, with its graph edges. */
  get(assetId: string): Promise<{ asset: TrackedAsset; edges: AssetEdge[] } | undefined>;
}
