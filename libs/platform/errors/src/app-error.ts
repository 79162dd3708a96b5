/** What went wrong, independent of transport; each transport maps it once (HTTP status, DLQ, Temporal). */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface AppErrorOptions {
  readonly kind?: ErrorKind;
  /** Whether the same operation may succeed if tried again. */
  readonly retriable?: boolean;
  readonly cause?: unknown;
  /** Non-sensitive context, safe to log and to return to the caller. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/;

/**
 * The base of every domain and application error: a namespaced code such as
 * `DRIFT.UNKNOWN_IMAGE_FAMILY`, a kind, whether a retry may help, and safe metadata.
 * Each bounded context declares `class XxxError extends AppError<XxxErrorCode>`.
 */
export class AppError<Code extends string = string> extends Error {
  readonly kind: ErrorKind;
  readonly retriable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: Code,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!CODE.test(code)) throw new TypeError(`error code ${code} is not namespaced like CONTEXT.REASON`);
    this.name = new.target.name;
    this.kind = options.kind ?? 'internal';
    this.retriable = options.retriable ?? (this.kind === 'unavailable' || this.kind === 'rate_limited');
    this.metadata = options.metadata ?? {};
  }
}

/** Normalises anything thrown into an AppError, keeping the original as the cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error as AppError;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('PLATFORM.UNEXPECTED', message, { kind: 'internal', retriable: true, cause: error });
}
