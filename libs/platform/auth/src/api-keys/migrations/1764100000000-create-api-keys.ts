import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys for bots and services. Only a salted SHA-256 of the secret is stored; `key_id` is the
 * non-secret part of the key, used to find the row. Revoked keys stay for audit.
 */
export class CreateApiKeys1764100000000 implements MigrationInterface {
  name = 'CreateApiKeys1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        key_id text NOT NULL UNIQUE CHECK (key_id ~ '^[0-9a-f]{16}$'),
        org text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer', 'admin')),
        project text,
        env text,
        scopes text[] NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        salt bytea NOT NULL CHECK (length(salt) = 16),
        hash bytea NOT NULL CHECK (length(hash) = 32)
      )`);
    await q.query(`CREATE INDEX api_keys_org_idx ON api_keys (org, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
