import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = [
  'drift_assets',
  'drift_image_families',
  'drift_image_refs',
  'drift_counters',
  'drift_snapshots',
  'drift_remediation_targets',
] as const;

/**
 * The drift read model per organisation: every row belongs to the organisation of the events that
 * made it (rows from before are the default organisation's). Assets, families, image references,
 * counters and remediation targets are keyed within their organisation, and every index a read or
 * a re-judgement uses leads with it.
 */
export class DriftPerOrganisation1764600000001 implements MigrationInterface {
  name = 'DriftPerOrganisation1764600000001';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN organisation text NOT NULL DEFAULT 'default'`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN organisation DROP DEFAULT`);
    }
    await q.query(`ALTER TABLE drift_assets DROP CONSTRAINT drift_assets_pkey`);
    await q.query(`ALTER TABLE drift_assets ADD PRIMARY KEY (organisation, asset_id)`);
    await q.query(`DROP INDEX drift_assets_family_idx`);
    await q.query(
      `CREATE INDEX drift_assets_family_idx ON drift_assets (organisation, family) WHERE family IS NOT NULL`,
    );
    await q.query(`DROP INDEX drift_assets_unknown_ref_idx`);
    await q.query(
      `CREATE INDEX drift_assets_unknown_ref_idx ON drift_assets (organisation, ref_key)
        WHERE family IS NULL AND ref_key IS NOT NULL`,
    );
    await q.query(`DROP INDEX drift_assets_drifting_idx`);
    await q.query(
      `CREATE INDEX drift_assets_drifting_idx ON drift_assets (organisation, since, asset_id)
        WHERE verdict = 'drifting'`,
    );
    await q.query(`ALTER TABLE drift_image_families DROP CONSTRAINT drift_image_families_pkey`);
    await q.query(`ALTER TABLE drift_image_families ADD PRIMARY KEY (organisation, family)`);
    await q.query(`ALTER TABLE drift_image_refs DROP CONSTRAINT drift_image_refs_pkey`);
    await q.query(`ALTER TABLE drift_image_refs ADD PRIMARY KEY (organisation, ref_key)`);
    await q.query(`ALTER TABLE drift_counters DROP CONSTRAINT drift_counters_pkey`);
    await q.query(
      `ALTER TABLE drift_counters ADD PRIMARY KEY (organisation, environment, platform, site, family)`,
    );
    await q.query(`DROP INDEX drift_snapshots_scope_time_idx`);
    await q.query(
      `CREATE INDEX drift_snapshots_scope_time_idx ON drift_snapshots (organisation, scope_id, taken_at)`,
    );
    await q.query(`ALTER TABLE drift_remediation_targets DROP CONSTRAINT drift_remediation_targets_pkey`);
    await q.query(`ALTER TABLE drift_remediation_targets ADD PRIMARY KEY (organisation, asset_id)`);
    await q.query(`DROP INDEX drift_remediation_targets_plan_idx`);
    await q.query(
      `CREATE INDEX drift_remediation_targets_plan_idx ON drift_remediation_targets (organisation, plan_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX drift_remediation_targets_plan_idx`);
    await q.query(`CREATE INDEX drift_remediation_targets_plan_idx ON drift_remediation_targets (plan_id)`);
    await q.query(`ALTER TABLE drift_remediation_targets DROP CONSTRAINT drift_remediation_targets_pkey`);
    await q.query(`ALTER TABLE drift_remediation_targets ADD PRIMARY KEY (asset_id)`);
    await q.query(`DROP INDEX drift_snapshots_scope_time_idx`);
    await q.query(`CREATE INDEX drift_snapshots_scope_time_idx ON drift_snapshots (scope_id, taken_at)`);
    await q.query(`ALTER TABLE drift_counters DROP CONSTRAINT drift_counters_pkey`);
    await q.query(`ALTER TABLE drift_counters ADD PRIMARY KEY (environment, platform, site, family)`);
    await q.query(`ALTER TABLE drift_image_refs DROP CONSTRAINT drift_image_refs_pkey`);
    await q.query(`ALTER TABLE drift_image_refs ADD PRIMARY KEY (ref_key)`);
    await q.query(`ALTER TABLE drift_image_families DROP CONSTRAINT drift_image_families_pkey`);
    await q.query(`ALTER TABLE drift_image_families ADD PRIMARY KEY (family)`);
    await q.query(`DROP INDEX drift_assets_drifting_idx`);
    await q.query(
      `CREATE INDEX drift_assets_drifting_idx ON drift_assets (since, asset_id) WHERE verdict = 'drifting'`,
    );
    await q.query(`DROP INDEX drift_assets_unknown_ref_idx`);
    await q.query(
      `CREATE INDEX drift_assets_unknown_ref_idx ON drift_assets (ref_key) WHERE family IS NULL AND ref_key IS NOT NULL`,
    );
    await q.query(`DROP INDEX drift_assets_family_idx`);
    await q.query(`CREATE INDEX drift_assets_family_idx ON drift_assets (family) WHERE family IS NOT NULL`);
    await q.query(`ALTER TABLE drift_assets DROP CONSTRAINT drift_assets_pkey`);
    await q.query(`ALTER TABLE drift_assets ADD PRIMARY KEY (asset_id)`);
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN organisation`);
  }
}
