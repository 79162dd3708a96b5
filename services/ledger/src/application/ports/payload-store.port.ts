import type { JsonValue } from '@rf/platform-ledger-proof';

export interface PayloadToStore {
  readonly ref: string;
  readonly content: JsonValue;
}

export interface StoredPayload {
  readonly ref: string;
  /** Null once redacted (redactedAt is then set), or when the payload is JSON null. */
  readonly content: JsonValue | null;
  readonly redactedAt: Date | null;
  readonly redactionReason: string | null;
}

export type RedactionStatus = 'redacted' | 'already-redacted' | 'not-found';

/** Event payloads, kept outside the tree so they can be redacted without touching a leaf. */
export interface PayloadStore {
  /** Stores payloads whose ref is new; never overwrites, so a redelivered event cannot undo a redaction. */
  putIfAbsent(payloads: readonly PayloadToStore[]): Promise<void>;
  get(ref: string): Promise<StoredPayload | undefined>;
  /** The stored payloads among `refs`, by ref. */
  getMany(refs: readonly string[]): Promise<ReadonlyMap<string, StoredPayload>>;
  redact(ref: string, at: Date, reason: string): Promise<RedactionStatus>;
  /**
   * Refs of the payloads (not redacted) that record the SBOM of one of `imageVersionIds` (an
   * `imageVersionId` and an `sbom`: what a publication carries), sorted.
   */
  publicationRefsOf(imageVersionIds: readonly string[]): Promise<string[]>;
}
