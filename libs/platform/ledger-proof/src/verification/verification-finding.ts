export type FindingSeverity = 'error' | 'warning' | 'info';

export type FindingCode =
  /** The audit bundle is not a bundle document at all, so nothing in it could be checked. */
  | 'BUNDLE_MALFORMED'
  /** A signed note could not be parsed. */
  | 'NOTE_MALFORMED'
  /** The note text is not a C2SP checkpoint. */
  | 'CHECKPOINT_MALFORMED'
  /** The checkpoint names another log. */
  | 'ORIGIN_MISMATCH'
  /** A trusted key's signature does not verify: the note was altered or forged. */
  | 'SIGNATURE_INVALID'
  /** No trusted log key signed the checkpoint (e.g. it is signed by an unknown key). */
  | 'NO_TRUSTED_SIGNATURE'
  /** Fewer trusted witnesses co-signed than the policy requires. */
  | 'WITNESS_QUORUM_NOT_MET'
  /** A signature from a key outside the trusted set was ignored. */
  | 'UNKNOWN_SIGNATURE_IGNORED'
  /** The log's newest checkpoint is smaller than one seen before: it was rewound or serves a stale view. */
  | 'LOG_ROLLBACK'
  /** Two checkpoints cannot both be views of one append-only log. */
  | 'LOG_FORK'
  /** No consistency proof links two checkpoints. */
  | 'CONSISTENCY_PROOF_MISSING'
  /** An inclusion proof refers to a tree size no verified checkpoint vouches for. */
  | 'INCLUSION_PROOF_UNANCHORED'
  /** An entry is not where the log says it is, or its leaf was altered. */
  | 'INCLUSION_PROOF_INVALID'
  /** Entries are not in strictly increasing index order. */
  | 'ENTRY_OUT_OF_ORDER'
  /** Entries are missing from what claims to be the whole log. */
  | 'ENTRY_INDEX_GAP'
  /** The log holds fewer entries than a verified checkpoint covers. */
  | 'LOG_TRUNCATED'
  /** Replaying the entries does not give a checkpoint's root. */
  | 'ROOT_MISMATCH'
  /** A leaf is not the canonical JSON of a ledger leaf. */
  | 'LEAF_MALFORMED'
  /** The payload served does not hash to the leaf's payloadHash. */
  | 'PAYLOAD_HASH_MISMATCH'
  /** The payload was redacted; the leaf and its proofs still verify. */
  | 'PAYLOAD_REDACTED';

/** One observation of an offline audit. Any `error` means the evidence cannot be trusted as given. */
export interface VerificationFinding {
  readonly severity: FindingSeverity;
  readonly code: FindingCode;
  readonly message: string;
  /** Which checkpoint input: `trusted[i]` or `checkpoints[i]`. */
  readonly checkpoint?: string;
  readonly treeSize?: number;
  readonly entryIndex?: number;
  readonly keyName?: string;
}
