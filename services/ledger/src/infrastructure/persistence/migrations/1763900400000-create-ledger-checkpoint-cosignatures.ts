import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Witness co-signatures, beside the checkpoints they sign (which stay as the log signed them). */
export class CreateLedgerCheckpointCosignatures1763900400000 implements MigrationInterface {
  name = 'CreateLedgerCheckpointCosignatures1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_checkpoint_cosignatures (
        tree_size bigint NOT NULL REFERENCES ledger_checkpoints (tree_size),
        key_name text NOT NULL,
        key_id bigint NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
        signature bytea NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (tree_size, key_name, key_id)
      )`);
    await q.query(`
      CREATE TRIGGER ledger_checkpoint_cosignatures_append_only BEFORE UPDATE OR DELETE
      ON ledger_checkpoint_cosignatures FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_checkpoint_cosignatures`);
  }
}
