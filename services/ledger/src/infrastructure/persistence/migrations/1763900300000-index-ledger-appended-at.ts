import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence packs select entries by when they were appended. */
export class IndexLedgerAppendedAt1763900300000 implements MigrationInterface {
  name = 'IndexLedgerAppendedAt1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ledger_entries_appended_at_idx ON ledger_entries (appended_at, index)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_entries_appended_at_idx`);
  }
}
