import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans, assessments, storm-control locks and cooldowns, and drift batches belong to an
 * organisation. Rows written before are the default organisation's. Per-tenant keys lead with the
 * organisation: a plan's source reference, an asset's lock and cooldown, a drift batch's key.
 */
export class RemediationOrganisation1764700000000 implements MigrationInterface {
  name = 'RemediationOrganisation1764700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of [
      'risk_assessments',
      'remediation_plans',
      'remediation_target_locks',
      'remediation_cooldowns',
      'drift_batches',
    ]) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN organisation text NOT NULL DEFAULT 'default'`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN organisation DROP DEFAULT`);
    }
    await q.query('ALTER TABLE remediation_plans DROP CONSTRAINT remediation_plans_source_source_ref_key');
    await q.query(
      `ALTER TABLE remediation_plans ADD CONSTRAINT remediation_plans_source_ref
         UNIQUE (organisation, source, source_ref)`,
    );
    await q.query(
      'CREATE INDEX remediation_plans_organisation ON remediation_plans (organisation, created_at DESC)',
    );
    for (const table of ['remediation_target_locks', 'remediation_cooldowns']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (organisation, asset_id)`);
    }
    await q.query('DROP INDEX drift_batches_key');
    await q.query(
      `CREATE INDEX drift_batches_key ON drift_batches (organisation, family, to_version, environment)
         WHERE status = 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX drift_batches_key');
    await q.query(
      `CREATE INDEX drift_batches_key ON drift_batches (family, to_version, environment) WHERE status = 'open'`,
    );
    for (const table of ['remediation_target_locks', 'remediation_cooldowns']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (asset_id)`);
    }
    await q.query('DROP INDEX remediation_plans_organisation');
    await q.query('ALTER TABLE remediation_plans DROP CONSTRAINT remediation_plans_source_ref');
    await q.query('ALTER TABLE remediation_plans ADD UNIQUE (source, source_ref)');
    for (const table of [
      'drift_batches',
      'remediation_cooldowns',
      'remediation_target_locks',
      'remediation_plans',
      'risk_assessments',
    ]) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN organisation`);
    }
  }
}
