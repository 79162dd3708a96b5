import type { TrackedAsset } from '../../../domain/asset/asset.entity';
import { decodeCursor, type Page, pageOf } from '../../pagination/page-cursor';
import type { AssetCatalogue, AssetFilter } from '../../ports/asset-catalogue.port';

export interface ListAssetsQuery {
  /** The caller's organisation: the only one listed. */
  readonly organisation: string;
  readonly filter: AssetFilter;
  readonly cursor?: string;
  readonly limit: number;
}

/** Active assets in id order: a cursor resumes after the last id, so pages neither repeat nor skip. */
export class ListAssetsHandler {
  constructor(private readonly catalogue: AssetCatalogue) {}

  async execute(query: ListAssetsQuery): Promise<Page<TrackedAsset>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
    const rows = await this.catalogue.list(query.organisation, query.filter, after, query.limit + 1);
    return pageOf(rows, query.limit, (a) => [a.assetId]);
  }
}
