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

/** Read side of the inventory: one organisation's active assets for the API, in a stable order. */
export interface AssetCatalogue {
  /** The organisation's active assets matching the filter, ordered by id, after the id `after`, at most `limit`. */
  list(
    organisation: string,
    filter: AssetFilter,
    after: string | undefined,
    limit: number,
  ): Promise<TrackedAsset[]>;
  /** The organisation's asset, removed or not, with its graph edges; another organisation's is absent. */
  get(
    organisation: string,
    assetId: string,
  ): Promise<{ asset: TrackedAsset; edges: AssetEdge[] } | undefined>;
}
