import type { NoteSignature } from '@rf/platform-ledger-proof';

export interface StoredCosignature extends NoteSignature {
  readonly receivedAt: Date;
}

/** Witness co-signatures on the log's checkpoints, kept beside them; the checkpoints never change. */
export interface CosignatureStore {
  /** Stores each signature once per checkpoint and key; returns those that were new. */
  add(treeSize: number, signatures: readonly NoteSignature[], receivedAt: Date): Promise<NoteSignature[]>;
  /** The co-signatures of the checkpoint at that size, in the order received. */
  forSize(treeSize: number): Promise<StoredCosignature[]>;
}
