import { InMemoryMerkleTree, sameHash } from '@rf/platform-ledger-proof';
import {
  type AppendBatchResult,
  type AppendOutcome,
  type EntryScope,
  type LeafToAppend,
  type LedgerRepository,
  type StoredCheckpoint,
  withinScope,
} from '../../application/ports/ledger.repository.port';
import type { LedgerEntry } from '../../domain/entry/ledger-entry';

/** The ledger in process memory: for unit tests, local tools and offline audits. Not durable. */
export class InMemoryLedgerRepository implements LedgerRepository {
  private readonly tree = new InMemoryMerkleTree();
  private readonly log: LedgerEntry[] = [];
  private readonly byEventId = new Map<string, LedgerEntry>();
  private readonly byLeafHash = new Map<string, LedgerEntry>();
  private readonly checkpoints = new Map<number, StoredCheckpoint>();

  append(leaves: readonly LeafToAppend[]): Promise<AppendBatchResult> {
    const outcomes: AppendOutcome[] = leaves.map((leaf) => {
      const existing = this.byEventId.get(leaf.eventId);
      if (existing !== undefined) {
        const status = sameHash(existing.leafHash, leaf.leafHash) ? 'duplicate' : 'conflict';
        return { eventId: leaf.eventId, index: existing.index, leafHash: existing.leafHash, status };
      }
      const entry: LedgerEntry = { ...leaf, index: this.log.length };
      this.tree.appendLeafHash(leaf.leafHash);
      this.log.push(entry);
      this.byEventId.set(leaf.eventId, entry);
      this.byLeafHash.set(leaf.leafHash.toString('hex'), entry);
      return { eventId: leaf.eventId, index: entry.index, leafHash: leaf.leafHash, status: 'appended' };
    });
    return Promise.resolve({ outcomes, treeSize: this.log.length });
  }

  treeSize(): Promise<number> {
    return Promise.resolve(this.log.length);
  }

  rootAt(treeSize: number): Promise<Buffer> {
    return this.attempt(() => this.tree.root(treeSize));
  }

  inclusionProof(index: number, treeSize: number): Promise<Buffer[]> {
    return this.attempt(() => this.tree.inclusionProof(index, treeSize));
  }

  inclusionProofs(indexes: readonly number[], treeSize: number): Promise<Buffer[][]> {
    return this.attempt(() => indexes.map((index) => this.tree.inclusionProof(index, treeSize)));
  }

  consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]> {
    return this.attempt(() => this.tree.consistencyProof(fromSize, toSize));
  }

  entryAt(index: number, scope: EntryScope): Promise<LedgerEntry | undefined> {
    return Promise.resolve(this.scoped(this.log[index], scope));
  }

  entryByEventId(eventId: string, scope: EntryScope): Promise<LedgerEntry | undefined> {
    return Promise.resolve(this.scoped(this.byEventId.get(eventId), scope));
  }

  entryByLeafHash(leafHash: Uint8Array, scope: EntryScope): Promise<LedgerEntry | undefined> {
    return Promise.resolve(this.scoped(this.byLeafHash.get(Buffer.from(leafHash).toString('hex')), scope));
  }

  entries(fromIndex: number, toIndex: number, scope: EntryScope): Promise<LedgerEntry[]> {
    return Promise.resolve(
      this.log.slice(fromIndex, toIndex).filter((e) => withinScope(e.organisation, scope)),
    );
  }

  entriesAppendedBetween(
    from: Date,
    to: Date,
    belowIndex: number,
    limit: number,
    scope: EntryScope,
  ): Promise<LedgerEntry[]> {
    const within = this.log.filter(
      (e) =>
        e.index < belowIndex &&
        e.appendedAt >= from &&
        e.appendedAt < to &&
        withinScope(e.organisation, scope),
    );
    return Promise.resolve(within.slice(0, limit));
  }

  countAppendedBetween(from: Date, to: Date, fromIndex: number, scope: EntryScope): Promise<number> {
    const within = this.log.filter(
      (e) =>
        e.index >= fromIndex &&
        e.appendedAt >= from &&
        e.appendedAt < to &&
        withinScope(e.organisation, scope),
    );
    return Promise.resolve(within.length);
  }

  private scoped(entry: LedgerEntry | undefined, scope: EntryScope): LedgerEntry | undefined {
    return entry !== undefined && withinScope(entry.organisation, scope) ? entry : undefined;
  }

  latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const sizes = [...this.checkpoints.keys()];
    return Promise.resolve(sizes.length === 0 ? undefined : this.checkpoints.get(Math.max(...sizes)));
  }

  checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined> {
    return Promise.resolve(this.checkpoints.get(treeSize));
  }

  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    const stored = this.checkpoints.get(checkpoint.treeSize) ?? checkpoint;
    this.checkpoints.set(checkpoint.treeSize, stored);
    return Promise.resolve(stored);
  }

  private attempt<T>(read: () => T): Promise<T> {
    try {
      return Promise.resolve(read());
    } catch (error: unknown) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
