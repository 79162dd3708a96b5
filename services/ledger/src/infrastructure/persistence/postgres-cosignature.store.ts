import type { NoteSignature } from '@rf/platform-ledger-proof';
import type { DataSource } from 'typeorm';
import type { CosignatureStore, StoredCosignature } from '../../application/ports/cosignature-store.port';

interface CosignatureRow {
  key_name: string;
  key_id: string;
  signature: Buffer;
  received_at: Date;
}

/** Co-signatures in PostgreSQL, one row per checkpoint and witness key; rows are never changed. */
export class PostgresCosignatureStore implements CosignatureStore {
  constructor(private readonly db: DataSource) {}

  async add(
    treeSize: number,
    signatures: readonly NoteSignature[],
    receivedAt: Date,
  ): Promise<NoteSignature[]> {
    const added: NoteSignature[] = [];
    for (const s of signatures) {
      const rows = await this.db.query<unknown[]>(
        `INSERT INTO ledger_checkpoint_cosignatures (tree_size, key_name, key_id, signature, received_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING key_name`,
        [treeSize, s.keyName, s.keyId, s.signature, receivedAt],
      );
      if (rows.length > 0) added.push(s);
    }
    return added;
  }

  async forSize(treeSize: number): Promise<StoredCosignature[]> {
    const rows = await this.db.query<CosignatureRow[]>(
      `SELECT key_name, key_id, signature, received_at FROM ledger_checkpoint_cosignatures
        WHERE tree_size = $1 ORDER BY received_at, key_name, key_id`,
      [treeSize],
    );
    return rows.map((r) => ({
      keyName: r.key_name,
      keyId: Number(r.key_id),
      signature: r.signature,
      receivedAt: r.received_at,
    }));
  }
}
