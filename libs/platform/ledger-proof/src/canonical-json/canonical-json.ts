import { CanonicalJsonError, canonicalJson as encode, type JsonValue } from '@rf/platform-canonical-json';
import { LedgerError } from '../ledger.error';

function asLedgerError(error: unknown): unknown {
  if (!(error instanceof CanonicalJsonError)) return error;
  return new LedgerError('LEDGER.NOT_CANONICAL_JSON', `Cannot canonicalise ${error.path}: ${error.problem}`, {
    metadata: { path: error.path },
  });
}

/** RFC 8785 canonical form of a ledger value: JSON values only, so anyone can rebuild it from the text. */
export function canonicalJson(value: JsonValue): string {
  try {
    return encode(value);
  } catch (error: unknown) {
    throw asLedgerError(error);
  }
}

/** The UTF-8 octets of the canonical form: what gets hashed and signed. */
export function canonicalJsonBytes(value: JsonValue): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
