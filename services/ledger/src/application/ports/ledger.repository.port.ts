import type { LedgerEntry } from '../../domain/entry/ledger-entry';

/** Reads of every entry, whatever its organisation: for the log's own work, never on a caller's behalf. */
export const EVERY_ORGANISATION = 'every-organisation';

/**
 * Which entries a read reaches: an organisation's own and the platform-wide ones (no organisation),
 * or, for the log's own work (appends, an operator's redaction, checks of the whole log), every entry.
 * An API path always reads in the caller's organisation.
 */
export type EntryScope = { readonly organisation: string } | typeof EVERY_ORGANISATION;

/** Whether an entry of `organisation` (null: platform-wide) is within `scope`. */
export function withinScope(organisation: string | null, scope: EntryScope): boolean {
  return scope === EVERY_ORGANISATION || organisation === null || organisation === scope.organisation;
}

export interface LeafToAppend {
  readonly eventId: string;
  /** The event's organisation; null for a platform-wide event. */
  readonly organisation: string | null;
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
  /** Entries outside `scope` are not found. */
  entryAt(index: number, scope: EntryScope): Promise<LedgerEntry | undefined>;
  entryByEventId(eventId: string, scope: EntryScope): Promise<LedgerEntry | undefined>;
  /** The entry whose RFC 6962 leaf hash this is; leaves commit to their event id, so there is one. */
  entryByLeafHash(leafHash: Uint8Array, scope: EntryScope): Promise<LedgerEntry | undefined>;
  /** Entries [fromIndex, toIndex) within `scope`, in index order. */
  entries(fromIndex: number, toIndex: number, scope: EntryScope): Promise<LedgerEntry[]>;
  /** Entries within `scope` appended in [from, to) and below `belowIndex`, in index order, at most `limit`. */
  entriesAppendedBetween(
    from: Date,
    to: Date,
    belowIndex: number,
    limit: number,
    scope: EntryScope,
  ): Promise<LedgerEntry[]>;
  /** How many entries within `scope` were appended in [from, to) at or above `fromIndex`. */
  countAppendedBetween(from: Date, to: Date, fromIndex: number, scope: EntryScope): Promise<number>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Stores a checkpoint once per tree size; returns what is stored for that size. */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint>;
}
