import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The golden-image registry: families, versions with their signed manifest and platform refs,
 * SBOMs, channel history, revocations (own and inherited) and every signature check.
 */
export class CreateImagesTables1764100000000 implements MigrationInterface {
  name = 'CreateImagesTables1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE image_families (
        name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE image_versions (
        id uuid PRIMARY KEY,
        family text NOT NULL REFERENCES image_families (name),
        version text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('dev', 'staging', 'prod')),
        parent_id uuid REFERENCES image_versions (id),
        digest text NOT NULL CHECK (digest ~ '^sha256:[0-9a-f]{64}$'),
        manifest text NOT NULL,
        os jsonb NOT NULL,
        artifacts jsonb NOT NULL,
        contract_ref text,
        cis_level smallint NOT NULL CHECK (cis_level IN (1, 2)),
        cis_score smallint NOT NULL CHECK (cis_score BETWEEN 0 AND 100),
        slsa_level smallint CHECK (slsa_level BETWEEN 0 AND 3),
        sbom_uri text NOT NULL,
        sbom_sha256 text NOT NULL CHECK (sbom_sha256 ~ '^[0-9a-f]{64}$'),
        signature_bundle jsonb,
        built_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL,
        published_by jsonb NOT NULL,
        UNIQUE (family, version)
      )`);
    await q.query(`CREATE INDEX image_versions_published ON image_versions (published_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX image_versions_parent ON image_versions (parent_id) WHERE parent_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX image_versions_artifacts ON image_versions USING gin (artifacts jsonb_path_ops)`,
    );
    await q.query(`
      CREATE TABLE image_sboms (
        image_version_id uuid PRIMARY KEY REFERENCES image_versions (id),
        sha256 text NOT NULL,
        document text NOT NULL,
        package_count integer NOT NULL CHECK (package_count >= 0)
      )`);
    await q.query(`
      CREATE TABLE image_channel_entries (
        id bigserial PRIMARY KEY,
        image_version_id uuid NOT NULL REFERENCES image_versions (id),
        family text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('dev', 'staging', 'prod')),
        entered_at timestamptz NOT NULL,
        policy_decision_id uuid,
        rollback boolean NOT NULL DEFAULT false
      )`);
    await q.query(
      `CREATE INDEX image_channel_entries_latest ON image_channel_entries (family, channel, entered_at DESC)`,
    );
    await q.query(`
      CREATE TABLE image_revocations (
        id uuid PRIMARY KEY,
        image_version_id uuid NOT NULL REFERENCES image_versions (id),
        cause_version_id uuid NOT NULL REFERENCES image_versions (id),
        reason text NOT NULL,
        detail text NOT NULL,
        cve_ids text[] NOT NULL DEFAULT '{}',
        effective_at timestamptz NOT NULL,
        revoked_at timestamptz NOT NULL,
        revoked_by jsonb NOT NULL
      )`);
    await q.query(
      `CREATE INDEX image_revocations_version ON image_revocations (image_version_id, effective_at)`,
    );
    await q.query(`
      CREATE TABLE image_signature_checks (
        id bigserial PRIMARY KEY,
        image_version_id uuid REFERENCES image_versions (id),
        family text NOT NULL,
        version text NOT NULL,
        digest text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('publish', 'promote')),
        mode text NOT NULL CHECK (mode IN ('warn', 'enforce')),
        verified boolean NOT NULL,
        key_id text,
        identity text NOT NULL,
        issuer text NOT NULL,
        failure text,
        checked_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX image_signature_checks_version ON image_signature_checks (image_version_id, checked_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE image_signature_checks, image_revocations, image_channel_entries, image_sboms, image_versions, image_families`,
    );
  }
}
