import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The evidence ledger: entries, perfect-subtree hashes, payloads and signed checkpoints. Entries, nodes
 * and checkpoints are append-only; triggers refuse updates, deletes and truncation.
 */
export class CreateLedgerTables1763900000000 implements MigrationInterface {
  name = 'CreateLedgerTables1763900000000';

  async up(q: QueryRunner): Promise<void> {
    // One row; appends lock it (SELECT … FOR UPDATE) so indexes are assigned one batch at a time.
    await q.query(`
      CREATE TABLE ledger_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        tree_size bigint NOT NULL CHECK (tree_size >= 0)
      )`);
    await q.query(`INSERT INTO ledger_head (id, tree_size) VALUES (1, 0)`);
    await q.query(`
      CREATE TABLE ledger_entries (
        index bigint PRIMARY KEY CHECK (index >= 0),
        event_id text NOT NULL UNIQUE,
        leaf bytea NOT NULL,
        leaf_hash bytea NOT NULL CHECK (length(leaf_hash) = 32),
        payload_hash text NOT NULL,
        payload_ref text NOT NULL,
        appended_at timestamptz NOT NULL
      )`);
    // Hashes of complete perfect subtrees above the leaves: (level, idx) covers leaves
    // [idx·2^level, (idx+1)·2^level). Level 0 is ledger_entries.leaf_hash.
    await q.query(`
      CREATE TABLE ledger_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE ledger_payloads (
        ref text PRIMARY KEY,
        content jsonb,
        redacted_at timestamptz,
        redaction_reason text,
        CHECK (redacted_at IS NULL OR content IS NULL)
      )`);
    await q.query(`
      CREATE TABLE ledger_checkpoints (
        tree_size bigint PRIMARY KEY CHECK (tree_size > 0),
        root_hash bytea NOT NULL CHECK (length(root_hash) = 32),
        note text NOT NULL,
        signed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_entries', 'ledger_nodes', 'ledger_checkpoints']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE ledger_checkpoints, ledger_payloads, ledger_nodes, ledger_entries, ledger_head`,
    );
    await q.query(`DROP FUNCTION ledger_refuse_change()`);
  }
}
