import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connectors, scans and assets belong to an organisation: a connector to its creator's, its scans and
 * the assets it lists to the connector's. Rows written before are the default organisation's (whose
 * asset ids are derived as before, so they stay valid). Every list and filter index leads with the
 * organisation, and connector names are unique per organisation.
 */
export class ScopeInventoryByOrganisation1764500000000 implements MigrationInterface {
  name = 'ScopeInventoryByOrganisation1764500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['connectors', 'scans', 'assets']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN organisation text NOT NULL DEFAULT 'default'`);
      // New writes must say whose record it is.
      await q.query(`ALTER TABLE ${table} ALTER COLUMN organisation DROP DEFAULT`);
    }

    await q.query(`ALTER TABLE connectors DROP CONSTRAINT connectors_name_key`);
    await q.query(
      `ALTER TABLE connectors ADD CONSTRAINT connectors_organisation_name_key UNIQUE (organisation, name)`,
    );
    // Connector pages of one organisation, in id order.
    await q.query(`CREATE INDEX connectors_organisation_idx ON connectors (organisation, connector_id)`);

    // Scan history of one organisation, newest first.
    await q.query(`DROP INDEX scans_started_idx`);
    await q.query(
      `CREATE INDEX scans_organisation_started_idx ON scans (organisation, started_at DESC, scan_id DESC)`,
    );

    // Asset pages of one organisation in id order, and its filters. The organisation never changes,
    // so the every-scan "seen" update stays HOT.
    await q.query(
      `CREATE INDEX assets_organisation_active_idx ON assets (organisation, asset_id) WHERE removed_at IS NULL`,
    );
    await q.query(`DROP INDEX assets_platform_env_site_idx`);
    await q.query(
      `CREATE INDEX assets_platform_env_site_idx ON assets (organisation, platform, environment, site)
         WHERE removed_at IS NULL`,
    );
    await q.query(`DROP INDEX assets_image_idx`);
    await q.query(
      `CREATE INDEX assets_image_idx ON assets (organisation, image_family, image_version) WHERE removed_at IS NULL`,
    );

    // The asset graph names each edge's organisation, so a reverse traversal (which assets run this
    // image) stays inside one tenant. Node keys are unchanged.
    await q.query(`
      CREATE OR REPLACE VIEW asset_edges (asset_id, kind, target, organisation) AS
        SELECT asset_id, 'image',
               CASE platform
                 WHEN 'vsphere' THEN 'image:vsphere:' || account || ':' || image_ref
                 ELSE 'image:' || platform || ':' || image_ref
               END,
               organisation
          FROM assets WHERE removed_at IS NULL AND image_ref IS NOT NULL
        UNION ALL
        SELECT asset_id, 'site', 'site:' || site, organisation
          FROM assets WHERE removed_at IS NULL AND site IS NOT NULL
        UNION ALL
        SELECT asset_id, 'account', 'account:' || platform || ':' || account, organisation
          FROM assets WHERE removed_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW asset_edges`);
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
    await q.query(`DROP INDEX assets_image_idx`);
    await q.query(
      `CREATE INDEX assets_image_idx ON assets (image_family, image_version) WHERE removed_at IS NULL`,
    );
    await q.query(`DROP INDEX assets_platform_env_site_idx`);
    await q.query(
      `CREATE INDEX assets_platform_env_site_idx ON assets (platform, environment, site) WHERE removed_at IS NULL`,
    );
    await q.query(`DROP INDEX assets_organisation_active_idx`);
    await q.query(`DROP INDEX scans_organisation_started_idx`);
    await q.query(`CREATE INDEX scans_started_idx ON scans (started_at DESC, scan_id DESC)`);
    await q.query(`DROP INDEX connectors_organisation_idx`);
    await q.query(`ALTER TABLE connectors DROP CONSTRAINT connectors_organisation_name_key`);
    await q.query(`ALTER TABLE connectors ADD CONSTRAINT connectors_name_key UNIQUE (name)`);
    for (const table of ['assets', 'scans', 'connectors']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN organisation`);
    }
  }
}
