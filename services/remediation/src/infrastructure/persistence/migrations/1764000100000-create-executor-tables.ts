import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Side effects of executors, keyed idempotently (workflow id + step + asset): an executor acts at
 * most once per key, however often the activity runs. The simulated fleet keeps its state here too.
 */
export class CreateExecutorTables1764000100000 implements MigrationInterface {
  name = 'CreateExecutorTables1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE executor_side_effects (
        idempotency_key text PRIMARY KEY,
        executor text NOT NULL,
        plan_id uuid NOT NULL,
        asset_id uuid NOT NULL,
        action text NOT NULL CHECK (action IN ('apply', 'revert')),
        from_version text,
        to_version text,
        outcome text NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'skipped')),
        detail text,
        executed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX executor_side_effects_plan ON executor_side_effects (plan_id, asset_id)`);
    await q.query(`
      CREATE TABLE simulated_fleet_assets (
        asset_id uuid PRIMARY KEY,
        version text NOT NULL,
        fail_apply boolean NOT NULL DEFAULT false,
        unhealthy_on text,
        changes integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE simulated_fleet_assets');
    await q.query('DROP TABLE executor_side_effects');
  }
}
