import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = [
  'image_families',
  'image_versions',
  'image_sboms',
  'image_channel_entries',
  'image_revocations',
  'image_signature_checks',
] as const;

/**
 * Image families belong to an organisation, the publisher's (families from before are the default
 * organisation's): a family name is unique per organisation, and its versions, SBOMs, channel
 * history, revocations and signature checks carry the family's organisation. Lists and channel
 * look-ups lead with it.
 */
export class ImageFamiliesPerOrganisation1764600000000 implements MigrationInterface {
  name = 'ImageFamiliesPerOrganisation1764600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN organisation text NOT NULL DEFAULT 'default'`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN organisation DROP DEFAULT`);
    }
    await q.query(`ALTER TABLE image_versions DROP CONSTRAINT image_versions_family_fkey`);
    await q.query(`ALTER TABLE image_versions DROP CONSTRAINT image_versions_family_version_key`);
    await q.query(`ALTER TABLE image_families DROP CONSTRAINT image_families_pkey`);
    await q.query(`ALTER TABLE image_families ADD PRIMARY KEY (organisation, name)`);
    await q.query(
      `ALTER TABLE image_versions ADD CONSTRAINT image_versions_family_version_key
         UNIQUE (organisation, family, version)`,
    );
    await q.query(
      `ALTER TABLE image_versions ADD CONSTRAINT image_versions_family_fkey
         FOREIGN KEY (organisation, family) REFERENCES image_families (organisation, name)`,
    );
    await q.query(`DROP INDEX image_versions_published`);
    await q.query(
      `CREATE INDEX image_versions_published ON image_versions (organisation, published_at DESC, id DESC)`,
    );
    await q.query(`DROP INDEX image_channel_entries_latest`);
    await q.query(
      `CREATE INDEX image_channel_entries_latest
         ON image_channel_entries (organisation, family, channel, entered_at DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX image_channel_entries_latest`);
    await q.query(
      `CREATE INDEX image_channel_entries_latest ON image_channel_entries (family, channel, entered_at DESC)`,
    );
    await q.query(`DROP INDEX image_versions_published`);
    await q.query(`CREATE INDEX image_versions_published ON image_versions (published_at DESC, id DESC)`);
    await q.query(`ALTER TABLE image_versions DROP CONSTRAINT image_versions_family_fkey`);
    await q.query(`ALTER TABLE image_versions DROP CONSTRAINT image_versions_family_version_key`);
    await q.query(`ALTER TABLE image_families DROP CONSTRAINT image_families_pkey`);
    await q.query(`ALTER TABLE image_families ADD PRIMARY KEY (name)`);
    await q.query(
      `ALTER TABLE image_versions ADD CONSTRAINT image_versions_family_version_key UNIQUE (family, version)`,
    );
    await q.query(
      `ALTER TABLE image_versions ADD CONSTRAINT image_versions_family_fkey
         FOREIGN KEY (family) REFERENCES image_families (name)`,
    );
    for (const table of TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN organisation`);
  }
}
