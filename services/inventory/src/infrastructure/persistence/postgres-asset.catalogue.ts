import type { DataSource } from 'typeorm';
import type { AssetCatalogue, AssetFilter } from '../../application/ports/asset-catalogue.port';
import type { TrackedAsset } from '../../domain/asset/asset.entity';
import type { AssetEdge, AssetEdgeKind } from '../../domain/graph/asset-graph';
import { type AssetRow, COLUMN_LIST, toAsset } from './postgres-asset.repository';

/** The asset list and detail reads, outside any scan transaction. */
export class PostgresAssetCatalogue implements AssetCatalogue {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    organisation: string,
    filter: AssetFilter,
    after: string | undefined,
    limit: number,
  ): Promise<TrackedAsset[]> {
    const where = ['organisation = $1', 'removed_at IS NULL'];
    const params: unknown[] = [organisation];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.platform !== undefined) add((p) => `platform = ${p}`, filter.platform);
    if (filter.environment !== undefined) add((p) => `environment = ${p}`, filter.environment);
    if (filter.site !== undefined) add((p) => `site = ${p}`, filter.site);
    if (filter.state !== undefined) add((p) => `state = ${p}`, filter.state);
    if (filter.image !== undefined) add((p) => `(image_ref = ${p} OR image_family = ${p})`, filter.image);
    if (after !== undefined) add((p) => `asset_id > ${p}::uuid`, after);
    params.push(limit);
    const rows = await this.dataSource.query<AssetRow[]>(
      `SELECT ${COLUMN_LIST} FROM assets WHERE ${where.join(' AND ')} ORDER BY asset_id LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAsset);
  }

  async get(
    organisation: string,
    assetId: string,
  ): Promise<{ asset: TrackedAsset; edges: AssetEdge[] } | undefined> {
    const [row] = await this.dataSource.query<AssetRow[]>(
      `SELECT ${COLUMN_LIST} FROM assets WHERE asset_id = $1 AND organisation = $2`,
      [assetId, organisation],
    );
    if (!row) return undefined;
    const edges = await this.dataSource.query<{ kind: AssetEdgeKind; target: string }[]>(
      `SELECT kind, target FROM asset_edges WHERE asset_id = $1 AND organisation = $2 ORDER BY kind`,
      [assetId, organisation],
    );
    return { asset: toAsset(row), edges: edges.map((e) => ({ assetId, kind: e.kind, target: e.target })) };
  }
}
