/** One appended leaf, at its position in the log. */
export interface LedgerEntry {
  readonly index: number;
  readonly eventId: string;
  /** The leaf octets: canonical JSON of the leaf content (see ledger-leaf.ts). */
  readonly leaf: Buffer;
  readonly leafHash: Buffer;
  readonly payloadHash: string;
  readonly payloadRef: string;
  readonly appendedAt: Date;
}
