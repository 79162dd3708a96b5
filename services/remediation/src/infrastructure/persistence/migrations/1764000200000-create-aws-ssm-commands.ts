import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The SSM command sent for each idempotency key, recorded before it is awaited. */
export class CreateAwsSsmCommands1764000200000 implements MigrationInterface {
  name = 'CreateAwsSsmCommands1764000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aws_ssm_commands (
        idempotency_key text PRIMARY KEY,
        command_id text NOT NULL,
        instance_id text NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE aws_ssm_commands');
  }
}
