import type { JsonValue } from '@rf/platform-canonical-json';
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalJsonBytes } from '../canonical-json/canonical-json';
import { LedgerError } from '../ledger.error';

/**
 * What a leaf commits to. The payload itself stays outside the tree, so it can be redacted while the
 * leaf, and every proof through it, stays valid.
 */
export interface LeafContent {
  readonly eventId: string;
  readonly type: string;
  readonly subject: string | null;
  /** RFC 3339 time of the event. */
  readonly time: string;
  /** `sha256:` and the lower-case hex SHA-256 of the payload's canonical JSON. */
  readonly payloadHash: string;
  /** Where the payload is kept, e.g. `payloads/<eventId>`. */
  readonly payloadRef: string;
}

const LEAF_FIELDS = ['eventId', 'payloadHash', 'payloadRef', 'subject', 'time', 'type'] as const;
const PAYLOAD_HASH = /^sha256:[0-9a-f]{64}$/;

/** `sha256:<hex>` of the payload's RFC 8785 canonical JSON. */
export function payloadHashOf(payload: JsonValue): string {
  return `sha256:${createHash('sha256').update(canonicalJsonBytes(payload)).digest('hex')}`;
}

export function payloadRefFor(eventId: string): string {
  return `payloads/${eventId}`;
}

function malformed(why: string): never {
  throw new LedgerError('LEDGER.MALFORMED_LEAF', `Malformed leaf: ${why}`);
}

function validate(content: LeafContent): void {
  if (content.eventId.length === 0) malformed('empty eventId');
  if (content.type.length === 0) malformed('empty type');
  if (Number.isNaN(Date.parse(content.time))) malformed(`time ${content.time} is not a date-time`);
  if (!PAYLOAD_HASH.test(content.payloadHash)) malformed('payloadHash must be sha256:<64 hex digits>');
  if (content.payloadRef.length === 0) malformed('empty payloadRef');
}

/** The leaf octets: the RFC 8785 canonical JSON of exactly the six leaf fields. */
export function encodeLeaf(content: LeafContent): Buffer {
  validate(content);
  return canonicalJsonBytes({
    eventId: content.eventId,
    type: content.type,
    subject: content.subject,
    time: content.time,
    payloadHash: content.payloadHash,
    payloadRef: content.payloadRef,
  });
}

/** Parses leaf octets and insists they are the canonical encoding of a leaf, byte for byte. */
export function decodeLeaf(leaf: Uint8Array): LeafContent {
  const text = Buffer.from(leaf).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error: unknown) {
    throw new LedgerError('LEDGER.MALFORMED_LEAF', 'Malformed leaf: not JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) malformed('not a JSON object');
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join(',') !== LEAF_FIELDS.join(',')) malformed(`fields ${keys.join(',')}`);
  const { eventId, type, subject, time, payloadHash, payloadRef } = record;
  if (
    typeof eventId !== 'string' ||
    typeof type !== 'string' ||
    (subject !== null && typeof subject !== 'string') ||
    typeof time !== 'string' ||
    typeof payloadHash !== 'string' ||
    typeof payloadRef !== 'string'
  ) {
    malformed('field types');
  }
  const content: LeafContent = { eventId, type, subject, time, payloadHash, payloadRef };
  if (canonicalJson(content as unknown as JsonValue) !== text) malformed('not in canonical form');
  validate(content);
  return content;
}
