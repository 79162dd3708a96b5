import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Configured connectors, their schedules, and what started each scan. */
export class CreateConnectorConfigurations1764000100000 implements MigrationInterface {
  name = 'CreateConnectorConfigurations1764000100000';

  async up(q: QueryRunner): Promise<void> {
    // `kind` is open-ended: the service validates it against the connector kinds it was built with.
    // `credentials` holds references (env:NAME, file:/path, vault:path#key), never a secret; the CHECK
    // refuses any value that is not shaped like a reference.
    await q.query(`
      CREATE TABLE connectors (
        connector_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]*$'),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        credentials jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (
          jsonb_typeof(credentials) = 'object'
          AND NOT jsonb_path_exists(credentials, '$.* ? (!(@ like_regex "^(env|file|vault):.+"))')
        ),
        schedule text,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        -- The cron slot most recently claimed by a scheduler: replicas claim each slot at most once.
        scheduled_slot timestamptz
      )`);
    await q.query(`CREATE INDEX connectors_enabled_idx ON connectors (connector_id) WHERE enabled`);
    await q.query(`
      ALTER TABLE scans ADD COLUMN trigger text NOT NULL DEFAULT 'on_demand'
        CHECK (trigger IN ('scheduled', 'on_demand'))`);
    // Scan history newest first, across connectors or for one.
    await q.query(`CREATE INDEX scans_started_idx ON scans (started_at DESC, scan_id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scans_started_idx`);
    await q.query(`ALTER TABLE scans DROP COLUMN trigger`);
    await q.query(`DROP TABLE connectors`);
  }
}
