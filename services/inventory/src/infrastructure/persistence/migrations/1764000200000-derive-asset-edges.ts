import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The asset graph becomes a view of the asset table. Every edge (asset→image, asset→site,
 * asset→account) is a function of the asset's own columns, so storing it again cost a scan three more
 * rows and two more index entries per asset and could drift from the asset it describes. The view
 * spells the node keys exactly as the domain's `edgesOf` does; an integration test holds the two equal.
 */
export class DeriveAssetEdges1764000200000 implements MigrationInterface {
  name = 'DeriveAssetEdges1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE asset_edges`);
    await q.query(`
      CREATE VIEW asset_edges (asset_id, kind, target) AS
        SELECT asset_id, 'image',
               CASE platform
                 WHEN 'vsphere' THEN 'image:vsphere:' || account || ':' || image_ref
                 ELSE 'image:' || platform || ':' || image_ref
               END
          FROM assets WHERE removed_at IS NULL AND image_ref IS NOT NULL
        UNION ALL
        SELECT asset_id, 'site', 'site:' || site
          FROM assets WHERE removed_at IS NULL AND site IS NOT NULL
        UNION ALL
        SELECT asset_id, 'account', 'account:' || platform || ':' || account
          FROM assets WHERE removed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW asset_edges`);
    await q.query(`
      CREATE TABLE asset_edges (
        asset_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('image', 'site', 'account')),
        target text NOT NULL,
        PRIMARY KEY (asset_id, kind)
      )`);
    await q.query(`CREATE INDEX asset_edges_target_idx ON asset_edges (kind, target)`);
    await q.query(`
      INSERT INTO asset_edges (asset_id, kind, target)
      SELECT asset_id, kind, target FROM (
        SELECT asset_id, 'image' AS kind,
               CASE platform
                 WHEN 'vsphere' THEN 'image:vsphere:' || account || ':' || image_ref
                 ELSE 'image:' || platform || ':' || image_ref
               END AS target
          FROM assets WHERE removed_at IS NULL AND image_ref IS NOT NULL
        UNION ALL
        SELECT asset_id, 'site', 'site:' || site FROM assets WHERE removed_at IS NULL AND site IS NOT NULL
        UNION ALL
        SELECT asset_id, 'account', 'account:' || platform || ':' || account
          FROM assets WHERE removed_at IS NULL
      ) edges`);
  }
}
