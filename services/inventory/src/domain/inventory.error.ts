export type InventoryErrorCode =
  | 'INVENTORY.INVALID_CONFIGURATION'
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

export type InventoryErrorMetadata = Readonly<Record<string, string | number | boolean | null>>;

export interface InventoryErrorOptions {
  readonly retriable?: boolean;
  readonly metadata?: InventoryErrorMetadata;
  readonly cause?: unknown;
}

/** The inventory's one error type: a namespaced code, whether a retry can help, and non-sensitive metadata. */
export class InventoryError extends Error {
  readonly retriable: boolean;
  readonly metadata: InventoryErrorMetadata;

  constructor(
    readonly code: InventoryErrorCode,
    message: string,
    options: InventoryErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InventoryError';
    this.retriable = options.retriable ?? false;
    this.metadata = options.metadata ?? {};
  }
}
