import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox rows carry the organisation their event concerns, relayed as the `ce_organisation` header. */
export class OutboxOrganisation1764400000000 implements MigrationInterface {
  name = 'OutboxOrganisation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN organisation text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN organisation`);
  }
}
