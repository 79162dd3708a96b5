import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox data is written once and read once, as text, by the relay: `json` keeps the producer's text
 * as it is, where `jsonb` parsed it into its binary form on the way in (about three times the server
 * CPU per row) only to print it again on the way out.
 */
export class OutboxDataAsJson1764400000001 implements MigrationInterface {
  name = 'OutboxDataAsJson1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN data TYPE json USING data::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ALTER COLUMN data TYPE jsonb USING data::jsonb`);
  }
}
