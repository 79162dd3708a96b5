import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inclusion proofs are asked for by leaf hash (`/proof/inclusion?leaf_hash=`), as in RFC 6962 logs. */
export class IndexLedgerLeafHashes1763900100000 implements MigrationInterface {
  name = 'IndexLedgerLeafHashes1763900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ledger_entries_leaf_hash_idx ON ledger_entries (leaf_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_entries_leaf_hash_idx`);
  }
}
