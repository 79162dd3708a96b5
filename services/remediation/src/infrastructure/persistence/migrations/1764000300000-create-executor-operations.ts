import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The long-running cloud operation each idempotency key started (an instance refresh, a root-volume
 * task, an automation execution, a vSphere clone), recorded before it is awaited, with what the
 * executor needs to wait for it or undo it.
 */
export class CreateExecutorOperations1764000300000 implements MigrationInterface {
  name = 'CreateExecutorOperations1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE executor_operations (
        idempotency_key text PRIMARY KEY,
        executor text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE executor_operations');
  }
}
