import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each entry records the organisation of the event it came from; null for a platform-wide event.
 * Entries appended before are the default organisation's for reads. Their leaves, which name no
 * organisation, are not touched: the column is added with a constant default (no row is rewritten,
 * so the append-only triggers do not fire), and every stored root and proof stays valid.
 */
export class LedgerEntryOrganisation1764700100000 implements MigrationInterface {
  name = 'LedgerEntryOrganisation1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN organisation text DEFAULT 'default'`);
    await q.query('ALTER TABLE ledger_entries ALTER COLUMN organisation DROP DEFAULT');
    await q.query('CREATE INDEX ledger_entries_organisation ON ledger_entries (organisation, index)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ledger_entries_organisation');
    await q.query('ALTER TABLE ledger_entries DROP COLUMN organisation');
  }
}
