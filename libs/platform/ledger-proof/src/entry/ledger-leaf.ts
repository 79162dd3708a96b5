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
  /**
   * The organisation (tenant) the event belongs to. Bound into the leaf only when there is one: a
   * leaf of a platform-wide event, or one appended before organisations were recorded, has exactly
   * the six fields above and hashes as it always did.
   */
  readonly organisation?: string;
}

const LEAF_FIELDS = ['eventId', 'payloadHash', 'payloadRef', 'subject', 'time', 'type'] as const;
const LEAF_FIELDS_WITH_ORGANISATION = [
  'eventId',
  'organisation',
  'payloadHash',
  'payloadRef',
  'subject',
  'time',
  'type',
] as const;
/** As principals carry it (`rf_org`). */
const ORGANISATION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
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
  if (content.organisation !== undefined && !ORGANISATION.test(content.organisation)) {
    malformed(`organisation ${JSON.stringify(content.organisation.slice(0, 80))} is not an organisation id`);
  }
}

/**
 * The leaf octets: the RFC 8785 canonical JSON of exactly the six leaf fields, and the organisation
 * when the event names one (so a proof of the leaf proves whose entry it is).
 */
export function encodeLeaf(content: LeafContent): Buffer {
  validate(content);
  return canonicalJsonBytes({
    eventId: content.eventId,
    type: content.type,
    subject: content.subject,
    time: content.time,
    payloadHash: content.payloadHash,
    payloadRef: content.payloadRef,
    ...(content.organisation === undefined ? {} : { organisation: content.organisation }),
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
  const keys = Object.keys(record).sort().join(',');
  if (keys !== LEAF_FIELDS.join(',') && keys !== LEAF_FIELDS_WITH_ORGANISATION.join(',')) {
    malformed(`fields ${keys}`);
  }
  const { eventId, type, subject, time, payloadHash, payloadRef, organisation } = record;
  if (
    (organisation !== undefined && typeof organisation !== 'string') ||
    typeof eventId !== 'string' ||
    typeof type !== 'string' ||
    (subject !== null && typeof subject !== 'string') ||
    typeof time !== 'string' ||
    typeof payloadHash !== 'string' ||
    typeof payloadRef !== 'string'
  ) {
    malformed('field types');
  }
  const content: LeafContent = {
    eventId,
    type,
    subject,
    time,
    payloadHash,
    payloadRef,
    ...(organisation === undefined ? {} : { organisation }),
  };
  if (canonicalJson(content as unknown as JsonValue) !== text) malformed('not in canonical form');
  validate(content);
  return content;
}
