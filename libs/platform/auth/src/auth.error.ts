import { AppError, type ErrorKind } from '@rf/platform-errors';

export type AuthErrorCode =
  | 'AUTH.CONFIG_INVALID'
  | 'AUTH.CREDENTIALS_MISSING'
  | 'AUTH.TOKEN_INVALID'
  | 'AUTH.TOKEN_EXPIRED'
  | 'AUTH.ISSUER_UNAVAILABLE'
  | 'AUTH.API_KEY_INVALID'
  | 'AUTH.API_KEY_EXPIRED'
  | 'AUTH.API_KEY_REVOKED'
  | 'AUTH.API_KEY_NOT_FOUND'
  | 'AUTH.API_KEY_REQUEST_INVALID'
  | 'AUTH.SCOPE_MISSING'
  | 'AUTH.ROUTE_UNGUARDED'
  | 'AUTH.SCOPE_UNRESOLVED'
  | 'AUTH.POLICY_DENIED'
  | 'AUTH.APPROVAL_REQUIRED'
  | 'AUTH.POLICY_UNAVAILABLE'
  | 'TENANCY.NOT_FOUND'
  | 'LIMIT.RATE_LIMITED'
  | 'LIMIT.PAGE_SIZE_EXCEEDED';

const KIND: Readonly<Record<AuthErrorCode, ErrorKind>> = {
  'AUTH.CONFIG_INVALID': 'internal',
  'AUTH.CREDENTIALS_MISSING': 'unauthenticated',
  'AUTH.TOKEN_INVALID': 'unauthenticated',
  'AUTH.TOKEN_EXPIRED': 'unauthenticated',
  'AUTH.ISSUER_UNAVAILABLE': 'unavailable',
  'AUTH.API_KEY_INVALID': 'unauthenticated',
  'AUTH.API_KEY_EXPIRED': 'unauthenticated',
  'AUTH.API_KEY_REVOKED': 'unauthenticated',
  'AUTH.API_KEY_NOT_FOUND': 'not_found',
  'AUTH.API_KEY_REQUEST_INVALID': 'invalid',
  'AUTH.SCOPE_MISSING': 'forbidden',
  'AUTH.ROUTE_UNGUARDED': 'forbidden',
  'AUTH.SCOPE_UNRESOLVED': 'forbidden',
  'AUTH.POLICY_DENIED': 'forbidden',
  'AUTH.APPROVAL_REQUIRED': 'forbidden',
  'AUTH.POLICY_UNAVAILABLE': 'unavailable',
  // Another tenant's resources do not exist as far as the caller can tell.
  'TENANCY.NOT_FOUND': 'not_found',
  'LIMIT.RATE_LIMITED': 'rate_limited',
  'LIMIT.PAGE_SIZE_EXCEEDED': 'invalid',
};

export interface AuthErrorOptions {
  readonly cause?: unknown;
  /** Safe to return to the caller: never a token, key or claim value beyond names. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Authentication, tenancy and request limits: the HTTP filter maps the kind to 400/401/403/404/429/503. */
export class AuthError extends AppError<AuthErrorCode> {
  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(code, message, {
      kind: KIND[code],
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    });
  }
}
