import type { LedgerEntry } from '../../domain/entry/ledger-entry';

export interface LeafToAppend {
  readonly eventId: string;
  readonly leaf: Buffer;
  readonly leafHash: Buffer;
  readonly payloadHash: string;
  readonly payloadRef: string;
  readonly appendedAt: Date;
}

/**
 * `duplicate`: the event was appended before with the same leaf. `conflict`: an entry with that event id
 * but a different leaf is already in the log; nothing was appended.
 */
export type AppendStatus = 'appended' | 'duplicate' | 'conflict';

export interface AppendOutcome {
  readonly eventId: string;
  readonly index: number;
  readonly leafHash: Buffer;
  readonly status: AppendStatus;
}

export interface AppendBatchResult {
  /** One per leaf given, in the same order. */
  readonly outcomes: readonly AppendOutcome[];
  /** The tree size right after this batch. */
  readonly treeSize: number;
}

export interface StoredCheckpoint {
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** The signed note, as published. */
  readonly note: string;
  readonly signedAt: Date;
}

/** The append-only Merkle log. Implementations keep perfect-subtree hashes so reads are O(log n). */
export interface LedgerRepository {
  /**
   * Appends the leaves in order, as one atomic step serialised with every other append, so indexes stay
   * gap-free. An event id already in the log is not appended again.
   */
  append(leaves: readonly LeafToAppend[]): Promise<AppendBatchResult>;
  treeSize(): Promise<number>;
  rootAt(treeSize: number): Promise<Buffer>;
  inclusionProof(index: number, treeSize: number): Promise<Buffer[]>;
  /** Inclusion proofs of several entries in one tree, reading each shared subtree once. */
  inclusionProofs(indexes: readonly number[], treeSize: number): Promise<Buffer[][]>;
  consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]>;
  entryAt(index: number): Promise<LedgerEntry | undefined>;
  entryByEventId(eventId: string): Promise<LedgerEntry | undefined>;
  /** The entry whose RFC 6962 leaf hash this is; leaves commit to their event id, so there is one. */
  entryByLeafHash(leafHash: Uint8Array): Promise<LedgerEntry | undefined>;
  /** Entries [fromIndex, toIndex) in index order. */
  entries(fromIndex: number, toIndex: number): Promise<LedgerEntry[]>;
  /** Entries appended in [from, to) and below `belowIndex`, in index order, at most `limit` of them. */
  entriesAppendedBetween(from: Date, to: Date, belowIndex: number, limit: number): Promise<LedgerEntry[]>;
  /** How many entries were appended in [from, to) at or above `fromIndex`. */
  countAppendedBetween(from: Date, to: Date, fromIndex: number): Promise<number>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Stores a checkpoint once per tree size; returns what is stored for that size. */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint>;
}
