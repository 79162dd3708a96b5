import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Table → its key within one organisation (the primary key becomes organisation + that key). */
const KEYED: readonly (readonly [string, string])[] = [
  ['compliance_assets', 'asset_id'],
  ['compliance_images', 'image_version_id'],
  ['compliance_image_refs', 'image_ref'],
  ['compliance_drift', 'asset_id'],
  ['compliance_coverage', 'environment'],
  ['compliance_recovery', 'kind'],
  ['compliance_dirty_subjects', 'subject_kind, subject_id'],
];

/**
 * Every projection and score belongs to the organisation of the events it was built from: assets,
 * images, drift, coverage, recovery facts, scores and the subjects waiting for re-aggregation.
 * Rows written before are the default organisation's. An environment, an image reference or a
 * recovery kind is one per organisation, and the organisation-wide score of each organisation is
 * the subject (`organisation`, its id). Evidence links stay keyed by event id alone: an event id is
 * unique, and a link is only read for events a score of the same organisation names.
 */
export class ScopeComplianceByOrganisation1764500000010 implements MigrationInterface {
  name = 'ScopeComplianceByOrganisation1764500000010';

  async up(q: QueryRunner): Promise<void> {
    for (const table of [...KEYED.map(([t]) => t), 'compliance_scores']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN organisation text NOT NULL DEFAULT 'default'`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN organisation DROP DEFAULT`);
    }
    // The image-ref link follows its image: drop it while the image key changes.
    await q.query(
      `ALTER TABLE compliance_image_refs DROP CONSTRAINT compliance_image_refs_image_version_id_fkey`,
    );
    for (const [table, key] of KEYED) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (organisation, ${key})`);
    }
    await q.query(`
      ALTER TABLE compliance_image_refs ADD CONSTRAINT compliance_image_refs_image_version_id_fkey
        FOREIGN KEY (organisation, image_version_id) REFERENCES compliance_images (organisation, image_version_id)`);
    await q.query(`DROP INDEX compliance_assets_environment_idx`);
    await q.query(
      `CREATE INDEX compliance_assets_environment_idx ON compliance_assets (organisation, environment)`,
    );
    await q.query(`DROP INDEX compliance_assets_image_ref_idx`);
    await q.query(
      `CREATE INDEX compliance_assets_image_ref_idx ON compliance_assets (organisation, image_ref)`,
    );
    await q.query(`DROP INDEX compliance_scores_subject_idx`);
    await q.query(
      `CREATE INDEX compliance_scores_subject_idx
         ON compliance_scores (organisation, subject_kind, subject_id, scored_at DESC, score_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX compliance_scores_subject_idx`);
    await q.query(
      `CREATE INDEX compliance_scores_subject_idx ON compliance_scores (subject_kind, subject_id, scored_at DESC, score_id)`,
    );
    await q.query(`DROP INDEX compliance_assets_image_ref_idx`);
    await q.query(`CREATE INDEX compliance_assets_image_ref_idx ON compliance_assets (image_ref)`);
    await q.query(`DROP INDEX compliance_assets_environment_idx`);
    await q.query(`CREATE INDEX compliance_assets_environment_idx ON compliance_assets (environment)`);
    await q.query(
      `ALTER TABLE compliance_image_refs DROP CONSTRAINT compliance_image_refs_image_version_id_fkey`,
    );
    // Going back to one organisation keeps the default organisation's rows only.
    for (const [table] of [...KEYED].reverse()) {
      await q.query(`DELETE FROM ${table} WHERE organisation <> 'default'`);
    }
    await q.query(`DELETE FROM compliance_scores WHERE organisation <> 'default'`);
    for (const [table, key] of KEYED) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${key})`);
    }
    await q.query(`
      ALTER TABLE compliance_image_refs ADD CONSTRAINT compliance_image_refs_image_version_id_fkey
        FOREIGN KEY (image_version_id) REFERENCES compliance_images (image_version_id)`);
    for (const table of [...KEYED.map(([t]) => t), 'compliance_scores']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN organisation`);
    }
  }
}
