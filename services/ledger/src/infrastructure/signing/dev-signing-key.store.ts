import { Ed25519NoteSigner } from '@rf/platform-ledger-proof';
import type { DataSource } from 'typeorm';

/**
 * The development signing key, kept in the ledger's own database so a restart signs with the same key
 * and checkpoints saved earlier still verify. Never used in production.
 */
export class DevSigningKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The stored key named `keyName`, generated on first use; concurrent starts agree on one key. */
  async loadOrCreate(keyName: string): Promise<{ signer: Ed25519NoteSigner; created: boolean }> {
    const candidate = Ed25519NoteSigner.generate(keyName);
    const inserted = await this.dataSource.query<{ key_name: string }[]>(
      `INSERT INTO ledger_dev_signing_keys (key_name, skey) VALUES ($1, $2)
       ON CONFLICT (key_name) DO NOTHING RETURNING key_name`,
      [keyName, candidate.toSkey()],
    );
    if (inserted.length > 0) return { signer: candidate, created: true };
    const [row] = await this.dataSource.query<{ skey: string }[]>(
      'SELECT skey FROM ledger_dev_signing_keys WHERE key_name = $1',
      [keyName],
    );
    if (row === undefined) throw new Error(`The dev signing key ${keyName} vanished`);
    return { signer: Ed25519NoteSigner.fromSkey(row.skey), created: false };
  }
}
