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
  /**
   * The organisation of the event the entry came from; null for a platform-wide event (e.g. a
   * policy bundle loaded). Bound into the leaf when set, so a proof of the entry proves it.
   */
  readonly organisation: string | null;
}
