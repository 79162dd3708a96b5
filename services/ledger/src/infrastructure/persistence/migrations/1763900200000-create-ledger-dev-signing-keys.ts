import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Development only: the checkpoint signing key a ledger generates when none is configured, kept so a
 * restart signs with the same key. Production takes its key from RF_LEDGER_SIGNING_KEY and never
 * writes here.
 */
export class CreateLedgerDevSigningKeys1763900200000 implements MigrationInterface {
  name = 'CreateLedgerDevSigningKeys1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_dev_signing_keys (
        key_name text PRIMARY KEY,
        skey text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_dev_signing_keys`);
  }
}
