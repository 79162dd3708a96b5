import { AppError, type ErrorKind } from '@rf/platform-errors';

export type LedgerErrorCode =
  | 'LEDGER.NOT_CANONICAL_JSON'
  | 'LEDGER.MALFORMED_LEAF'
  | 'LEDGER.MALFORMED_NOTE'
  | 'LEDGER.MALFORMED_CHECKPOINT'
  | 'LEDGER.MALFORMED_KEY'
  | 'LEDGER.MALFORMED_AUDIT_BUNDLE'
  | 'LEDGER.INVALID_TREE_RANGE'
  | 'LEDGER.INVALID_REQUEST'
  | 'LEDGER.ENTRY_NOT_FOUND'
  | 'LEDGER.NO_CHECKPOINT'
  | 'LEDGER.ENTRY_NOT_YET_CHECKPOINTED'
  | 'LEDGER.EVENT_ID_CONFLICT'
  | 'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT'
  | 'LEDGER.STORAGE_CORRUPT'
  | 'LEDGER.UNKNOWN_WITNESS'
  | 'LEDGER.COSIGNATURE_INVALID'
  | 'LEDGER.COSIGNED_CHECKPOINT_MISMATCH';

const KIND: Readonly<Record<LedgerErrorCode, ErrorKind>> = {
  'LEDGER.NOT_CANONICAL_JSON': 'invalid',
  'LEDGER.MALFORMED_LEAF': 'invalid',
  'LEDGER.MALFORMED_NOTE': 'invalid',
  'LEDGER.MALFORMED_CHECKPOINT': 'invalid',
  'LEDGER.MALFORMED_KEY': 'invalid',
  'LEDGER.MALFORMED_AUDIT_BUNDLE': 'invalid',
  'LEDGER.INVALID_TREE_RANGE': 'invalid',
  'LEDGER.INVALID_REQUEST': 'invalid',
  'LEDGER.ENTRY_NOT_FOUND': 'not_found',
  'LEDGER.NO_CHECKPOINT': 'not_found',
  // The entry exists but no checkpoint covers it yet: the next one will.
  'LEDGER.ENTRY_NOT_YET_CHECKPOINTED': 'conflict',
  // An event id reused for different content: the log keeps the first, the other is refused for good.
  'LEDGER.EVENT_ID_CONFLICT': 'conflict',
  // Integrity alarms: the stored log is not what was signed. Never retried, always investigated.
  'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT': 'internal',
  'LEDGER.STORAGE_CORRUPT': 'internal',
  // A co-signature from a key the ledger is not configured to accept.
  'LEDGER.UNKNOWN_WITNESS': 'forbidden',
  'LEDGER.COSIGNATURE_INVALID': 'invalid',
  // A witness co-signed a tree of that size whose text is not the one the log signed: a fork, or a forgery.
  'LEDGER.COSIGNED_CHECKPOINT_MISMATCH': 'conflict',
};

export interface LedgerErrorOptions {
  readonly retriable?: boolean;
  readonly metadata?: Readonly<Record<string, string | number | boolean | null>>;
  readonly cause?: unknown;
}

/** The ledger's error: a LEDGER.* code, its kind, whether a retry can help, and non-sensitive metadata. */
export class LedgerError extends AppError<LedgerErrorCode> {
  constructor(code: LedgerErrorCode, message: string, options: LedgerErrorOptions = {}) {
    super(code, message, { ...options, kind: KIND[code], retriable: options.retriable ?? false });
  }
}
