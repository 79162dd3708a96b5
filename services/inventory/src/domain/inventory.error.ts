import { AppError, type ErrorKind } from '@rf/platform-errors';

export type InventoryErrorCode =
  | 'INVENTORY.INVALID_CONFIGURATION'
  | 'INVENTORY.INVALID_REQUEST'
  | 'INVENTORY.ASSET_NOT_FOUND'
  | 'INVENTORY.CONNECTOR_NOT_FOUND'
  | 'INVENTORY.CONNECTOR_NAME_TAKEN'
  | 'INVENTORY.UNKNOWN_CONNECTOR_KIND'
  | 'INVENTORY.INVALID_CONNECTOR_SETTINGS'
  | 'INVENTORY.CONNECTOR_DISABLED'
  | 'INVENTORY.CREDENTIAL_UNRESOLVED'
  | 'INVENTORY.SCAN_NOT_FOUND'
  | 'INVENTORY.SCAN_ALREADY_RUNNING'
  | 'INVENTORY.SCAN_LEASE_LOST'
  | 'INVENTORY.SCAN_CANCELLED'
  | 'INVENTORY.SCAN_FAILED'
  | 'INVENTORY.INVALID_RECORD'
  | 'INVENTORY.FILE_IMPORT_INVALID'
  | 'INVENTORY.CONNECTOR_AUTH_FAILED'
  | 'INVENTORY.CONNECTOR_THROTTLED'
  | 'INVENTORY.CONNECTOR_TIMEOUT'
  | 'INVENTORY.CONNECTOR_UNAVAILABLE'
  | 'INVENTORY.CONNECTOR_REQUEST_FAILED';

const KIND: Readonly<Record<InventoryErrorCode, ErrorKind>> = {
  'INVENTORY.INVALID_CONFIGURATION': 'internal',
  'INVENTORY.INVALID_REQUEST': 'invalid',
  'INVENTORY.ASSET_NOT_FOUND': 'not_found',
  'INVENTORY.CONNECTOR_NOT_FOUND': 'not_found',
  'INVENTORY.CONNECTOR_NAME_TAKEN': 'conflict',
  'INVENTORY.UNKNOWN_CONNECTOR_KIND': 'invalid',
  'INVENTORY.INVALID_CONNECTOR_SETTINGS': 'invalid',
  'INVENTORY.CONNECTOR_DISABLED': 'conflict',
  // A reference that names no secret here is a configuration fault of the deployment, not of the caller.
  'INVENTORY.CREDENTIAL_UNRESOLVED': 'invalid',
  'INVENTORY.SCAN_NOT_FOUND': 'not_found',
  'INVENTORY.SCAN_ALREADY_RUNNING': 'conflict',
  'INVENTORY.SCAN_LEASE_LOST': 'conflict',
  'INVENTORY.SCAN_CANCELLED': 'unavailable',
  'INVENTORY.SCAN_FAILED': 'unavailable',
  'INVENTORY.INVALID_RECORD': 'invalid',
  'INVENTORY.FILE_IMPORT_INVALID': 'invalid',
  // Provider failures: the provider refused or failed the connector's calls, not the API caller's input.
  'INVENTORY.CONNECTOR_AUTH_FAILED': 'unavailable',
  'INVENTORY.CONNECTOR_THROTTLED': 'rate_limited',
  'INVENTORY.CONNECTOR_TIMEOUT': 'unavailable',
  'INVENTORY.CONNECTOR_UNAVAILABLE': 'unavailable',
  'INVENTORY.CONNECTOR_REQUEST_FAILED': 'unavailable',
};

export type InventoryErrorMetadata = Readonly<Record<string, unknown>>;

export interface InventoryErrorOptions {
  readonly retriable?: boolean;
  readonly metadata?: InventoryErrorMetadata;
  readonly cause?: unknown;
}

/** The inventory's one error type: a namespaced code, whether a retry can help, and non-sensitive metadata. */
export class InventoryError extends AppError<InventoryErrorCode> {
  constructor(code: InventoryErrorCode, message: string, options: InventoryErrorOptions = {}) {
    super(code, message, {
      kind: KIND[code],
      retriable: options.retriable ?? false,
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}
