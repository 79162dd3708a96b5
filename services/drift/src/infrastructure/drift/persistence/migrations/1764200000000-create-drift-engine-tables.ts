import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The drift engine's read model: assets with their verdict and open drift episode, image families and
 * provider references as learnt from image.* events, the aggregate counters reports read, and the
 * coverage snapshots trends read.
 */
export class CreateDriftEngineTables1764200000000 implements MigrationInterface {
  name = 'CreateDriftEngineTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drift_assets (
        asset_id uuid PRIMARY KEY,
        environment text NOT NULL,
        platform text NOT NULL,
        site text,
        region text NOT NULL,
        image_ref text,
        ref_key text,
        state text NOT NULL CHECK (state IN ('running', 'stopped')),
        verdict text NOT NULL CHECK (verdict IN ('compliant', 'drifting', 'unmanaged')),
        family text,
        version text,
        expected_version text,
        cause text CHECK (cause IN ('outdated', 'revoked')),
        since timestamptz,
        drift_id uuid,
        drift_opened_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((verdict = 'drifting') = (cause IS NOT NULL AND since IS NOT NULL AND expected_version IS NOT NULL)),
        CHECK ((verdict = 'drifting') = (drift_id IS NOT NULL AND drift_opened_at IS NOT NULL))
      )`);
    // An image event re-judges the assets of its family, or those waiting for its references.
    await q.query(`CREATE INDEX drift_assets_family_idx ON drift_assets (family) WHERE family IS NOT NULL`);
    await q.query(
      `CREATE INDEX drift_assets_unknown_ref_idx ON drift_assets (ref_key) WHERE family IS NULL AND ref_key IS NOT NULL`,
    );
    // Reports list the longest-drifting assets first.
    await q.query(
      `CREATE INDEX drift_assets_drifting_idx ON drift_assets (since, asset_id) WHERE verdict = 'drifting'`,
    );
    await q.query(`
      CREATE TABLE drift_image_families (
        family text PRIMARY KEY,
        state jsonb NOT NULL,
        next_revocation_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX drift_image_families_revocation_idx ON drift_image_families (next_revocation_at)
        WHERE next_revocation_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE drift_image_refs (
        ref_key text PRIMARY KEY,
        family text NOT NULL,
        version text NOT NULL
      )`);
    // Site '' stands for "no site": a key column cannot be null, and sites are never empty. Counters take
    // signed deltas in one upsert (a CHECK would reject a negative proposed row before the conflict), and a
    // group that empties stays at zero until a reconcile drops it, so writers never delete under each other.
    await q.query(`
      CREATE TABLE drift_counters (
        environment text NOT NULL,
        platform text NOT NULL,
        site text NOT NULL,
        family text NOT NULL,
        compliant_running bigint NOT NULL DEFAULT 0,
        drifting_running bigint NOT NULL DEFAULT 0,
        unmanaged_running bigint NOT NULL DEFAULT 0,
        compliant_stopped bigint NOT NULL DEFAULT 0,
        drifting_stopped bigint NOT NULL DEFAULT 0,
        unmanaged_stopped bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (environment, platform, site, family)
      )`);
    await q.query(`
      CREATE TABLE drift_snapshots (
        snapshot_id uuid PRIMARY KEY,
        scope_id text NOT NULL,
        taken_at timestamptz NOT NULL,
        total integer NOT NULL CHECK (total >= 0),
        compliant integer NOT NULL CHECK (compliant >= 0),
        outdated integer NOT NULL CHECK (outdated >= 0),
        stopped integer NOT NULL CHECK (stopped >= 0),
        coverage_pct numeric(5, 2) NOT NULL,
        rag text NOT NULL CHECK (rag IN ('green', 'amber', 'red'))
      )`);
    await q.query(`CREATE INDEX drift_snapshots_scope_time_idx ON drift_snapshots (scope_id, taken_at)`);
    await q.query(`CREATE INDEX drift_snapshots_time_idx ON drift_snapshots (taken_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'drift_snapshots',
      'drift_counters',
      'drift_image_refs',
      'drift_image_families',
      'drift_assets',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
