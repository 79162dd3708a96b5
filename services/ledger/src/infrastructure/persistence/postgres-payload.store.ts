import type { JsonValue } from '@rf/platform-ledger-proof';
import type { DataSource, EntityManager } from 'typeorm';
import type {
  PayloadStore,
  PayloadToStore,
  RedactionStatus,
  StoredPayload,
} from '../../application/ports/payload-store.port';

interface PayloadRow {
  ref: string;
  content: JsonValue;
  redacted_at: Date | null;
  redaction_reason: string | null;
}

function toPayload(row: PayloadRow): StoredPayload {
  return {
    ref: row.ref,
    content: row.redacted_at === null ? row.content : null,
    redactedAt: row.redacted_at,
    redactionReason: row.redaction_reason,
  };
}

/**
 * Payloads in PostgreSQL (jsonb). Redaction clears the content and records when and why. Built on the
 * EntityManager of an open transaction, its writes commit with that transaction.
 */
export class PostgresPayloadStore implements PayloadStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async putIfAbsent(payloads: readonly PayloadToStore[]): Promise<void> {
    if (payloads.length === 0) return;
    // Rows go in in key order: concurrent batches that overlap then wait on each other's keys in one
    // order, instead of in a cycle that PostgreSQL breaks by failing one of them as a deadlock.
    await this.db.query(
      `INSERT INTO ledger_payloads (ref, content)
       SELECT ref, content FROM unnest($1::text[], $2::jsonb[]) AS p (ref, content) ORDER BY ref
       ON CONFLICT (ref) DO NOTHING`,
      [payloads.map((p) => p.ref), payloads.map((p) => JSON.stringify(p.content))],
    );
  }

  async get(ref: string): Promise<StoredPayload | undefined> {
    return (await this.getMany([ref])).get(ref);
  }

  async getMany(refs: readonly string[]): Promise<ReadonlyMap<string, StoredPayload>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.query<PayloadRow[]>(
      'SELECT ref, content, redacted_at, redaction_reason FROM ledger_payloads WHERE ref = ANY($1::text[])',
      [refs],
    );
    return new Map(rows.map((row) => [row.ref, toPayload(row)]));
  }

  async publicationRefsOf(imageVersionIds: readonly string[]): Promise<string[]> {
    if (imageVersionIds.length === 0) return [];
    // The predicate is the partial index's (ledger_payloads_image_version_id_idx).
    const rows = await this.db.query<{ ref: string }[]>(
      `SELECT ref FROM ledger_payloads
        WHERE content ? 'imageVersionId' AND content->>'imageVersionId' = ANY($1::text[])
          AND content ? 'sbom'
        ORDER BY ref`,
      [imageVersionIds],
    );
    return rows.map((r) => r.ref);
  }

  async redact(ref: string, at: Date, reason: string): Promise<RedactionStatus> {
    // A CTE so the driver returns rows for the UPDATE like for any SELECT.
    const [row] = await this.db.query<{ ref: string | null; redacted: boolean }[]>(
      `WITH redacted AS (
         UPDATE ledger_payloads SET content = NULL, redacted_at = $2, redaction_reason = $3
          WHERE ref = $1 AND redacted_at IS NULL
         RETURNING ref
       )
       SELECT p.ref, EXISTS (SELECT 1 FROM redacted) AS redacted FROM ledger_payloads p WHERE p.ref = $1`,
      [ref, at, reason],
    );
    if (row === undefined) return 'not-found';
    return row.redacted ? 'redacted' : 'already-redacted';
  }
}
