export type PolicyErrorCode =
  | 'POLICY.CONFIG_INVALID'
  | 'POLICY.BUNDLE_MISSING'
  | 'POLICY.BUNDLE_INVALID'
  | 'POLICY.SIGNATURE_MISSING'
  | 'POLICY.SIGNATURE_INVALID'
  | 'POLICY.ENTRYPOINT_UNKNOWN'
  | 'POLICY.INPUT_INVALID'
  | 'POLICY.EVALUATION_FAILED'
  | 'POLICY.RESULT_MALFORMED'
  | 'POLICY.REQUEST_INVALID'
  | 'POLICY.RECORD_FAILED'
  | 'POLICY.DENIED'
  | 'POLICY.APPROVAL_REQUIRED';

/** Codes that may succeed when tried again as is: a bundle may arrive, a recorder may recover. */
const RETRIABLE: ReadonlySet<PolicyErrorCode> = new Set(['POLICY.BUNDLE_MISSING', 'POLICY.RECORD_FAILED']);

export type PolicyErrorMetadata = Readonly<Record<string, string | number | boolean>>;

export interface PolicyErrorOptions {
  readonly cause?: unknown;
  readonly retriable?: boolean;
  /** Non-sensitive details for logs and problem responses; never the policy input. */
  readonly metadata?: PolicyErrorMetadata;
}

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly retriable: boolean;
  readonly metadata: PolicyErrorMetadata;

  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    options: PolicyErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? RETRIABLE.has(code);
    this.metadata = options.metadata ?? {};
  }

  /** Normalises anything thrown (opa-wasm throws plain strings) into a PolicyError with `code`. */
  static from(thrown: unknown, code: PolicyErrorCode, context: string): PolicyError {
    if (thrown instanceof PolicyError) return thrown;
    const detail = thrown instanceof Error ? thrown.message : String(thrown);
    return new PolicyError(code, `${context}: ${detail}`, { cause: thrown });
  }
}
