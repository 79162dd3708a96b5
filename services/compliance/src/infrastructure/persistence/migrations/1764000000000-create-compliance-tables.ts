import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projections of the events compliance consumes, evidence links to the ledger, and score history. */
export class CreateComplianceTables1764000000000 implements MigrationInterface {
  name = 'CreateComplianceTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE compliance_assets (
        asset_id text PRIMARY KEY,
        environment text,
        state text NOT NULL,
        removed boolean NOT NULL,
        image_ref text,
        event_id text NOT NULL,
        observed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX compliance_assets_environment_idx ON compliance_assets (environment)`);
    await q.query(`CREATE INDEX compliance_assets_image_ref_idx ON compliance_assets (image_ref)`);
    await q.query(`
      CREATE TABLE compliance_images (
        image_version_id text PRIMARY KEY,
        signature_verified boolean NOT NULL,
        sbom_present boolean NOT NULL,
        cis_level smallint,
        slsa_build_level smallint,
        revoked boolean NOT NULL DEFAULT false,
        published_event_id text NOT NULL,
        revoked_event_id text
      )`);
    // Provider image references (an AMI per region…) to the version they were built for.
    await q.query(`
      CREATE TABLE compliance_image_refs (
        image_ref text PRIMARY KEY,
        image_version_id text NOT NULL REFERENCES compliance_images (image_version_id)
      )`);
    await q.query(`
      CREATE TABLE compliance_drift (
        asset_id text PRIMARY KEY,
        open boolean NOT NULL,
        detected_at timestamptz NOT NULL,
        event_id text NOT NULL,
        observed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE compliance_coverage (
        environment text PRIMARY KEY,
        coverage_pct double precision NOT NULL,
        taken_at timestamptz NOT NULL,
        event_id text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE compliance_recovery (
        kind text PRIMARY KEY CHECK (kind IN ('backup', 'restore', 'drill')),
        ok boolean NOT NULL,
        completed_at timestamptz NOT NULL,
        event_id text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE compliance_evidence_links (
        event_id text PRIMARY KEY,
        ledger_index bigint NOT NULL CHECK (ledger_index >= 0),
        leaf_hash text NOT NULL CHECK (leaf_hash ~ '^[0-9a-f]{64}$')
      )`);
    await q.query(`
      CREATE TABLE compliance_scores (
        score_id uuid PRIMARY KEY,
        subject_kind text NOT NULL CHECK (subject_kind IN ('asset', 'environment', 'organisation')),
        subject_id text NOT NULL,
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        previous_score double precision,
        target double precision NOT NULL,
        badge text NOT NULL,
        controls jsonb NOT NULL,
        scored_at timestamptz NOT NULL
      )`);
    // Environments and the organisation whose assets changed since their last aggregate score.
    await q.query(`
      CREATE TABLE compliance_dirty_subjects (
        subject_kind text NOT NULL CHECK (subject_kind IN ('environment', 'organisation')),
        subject_id text NOT NULL,
        PRIMARY KEY (subject_kind, subject_id)
      )`);
    await q.query(
      `CREATE INDEX compliance_scores_subject_idx ON compliance_scores (subject_kind, subject_id, scored_at DESC, score_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE compliance_dirty_subjects, compliance_scores, compliance_evidence_links, compliance_recovery, compliance_coverage,
      compliance_drift, compliance_image_refs, compliance_images, compliance_assets`);
  }
}
