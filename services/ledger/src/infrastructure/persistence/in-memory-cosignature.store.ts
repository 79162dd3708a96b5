import type { NoteSignature } from '@rf/platform-ledger-proof';
import type { CosignatureStore, StoredCosignature } from '../../application/ports/cosignature-store.port';

/** Co-signatures in process memory: for unit tests. */
export class InMemoryCosignatureStore implements CosignatureStore {
  private readonly bySize = new Map<number, StoredCosignature[]>();

  add(treeSize: number, signatures: readonly NoteSignature[], receivedAt: Date): Promise<NoteSignature[]> {
    const list = this.bySize.get(treeSize) ?? [];
    const added = signatures.filter((s) => !list.some((x) => x.keyName === s.keyName && x.keyId === s.keyId));
    list.push(...added.map((s) => ({ ...s, receivedAt })));
    this.bySize.set(treeSize, list);
    return Promise.resolve(added);
  }

  forSize(treeSize: number): Promise<StoredCosignature[]> {
    return Promise.resolve([...(this.bySize.get(treeSize) ?? [])]);
  }
}
