import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drift waiting to be planned together: drift.detected events for one family, target version and
 * environment within a window form one batch, planned once as one frozen asset set when it closes.
 */
export class CreateDriftBatches1764000500000 implements MigrationInterface {
  name = 'CreateDriftBatches1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drift_batches (
        id uuid PRIMARY KEY,
        family text NOT NULL,
        to_version text NOT NULL,
        environment text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'planned', 'skipped')),
        first_event_id uuid NOT NULL,
        opened_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        closed_at timestamptz,
        plan_id uuid,
        outcome text
      )`);
    await q.query(`CREATE INDEX drift_batches_open ON drift_batches (closes_at, id) WHERE status = 'open'`);
    await q.query(
      `CREATE INDEX drift_batches_key ON drift_batches (family, to_version, environment) WHERE status = 'open'`,
    );
    await q.query(`
      CREATE TABLE drift_batch_members (
        batch_id uuid NOT NULL REFERENCES drift_batches (id),
        asset_id uuid NOT NULL,
        drift_id uuid NOT NULL,
        event_id uuid NOT NULL,
        cause text NOT NULL,
        drift_age_days integer NOT NULL,
        admitted_at timestamptz NOT NULL,
        disposition text CHECK (disposition IN ('planned', 'locked', 'cooling_down')),
        PRIMARY KEY (batch_id, asset_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE drift_batch_members');
    await q.query('DROP TABLE drift_batches');
  }
}
