import { AppError, type ErrorKind } from '@rf/platform-errors';

export type ComplianceErrorCode = 'COMPLIANCE.INVALID_REQUEST' | 'COMPLIANCE.SCORE_NOT_FOUND';

const KIND: Readonly<Record<ComplianceErrorCode, ErrorKind>> = {
  'COMPLIANCE.INVALID_REQUEST': 'invalid',
  // Nothing scored yet: the subject is unknown, all its controls are not applicable, or it is terminated.
  'COMPLIANCE.SCORE_NOT_FOUND': 'not_found',
};

export class ComplianceError extends AppError<ComplianceErrorCode> {
  constructor(
    code: ComplianceErrorCode,
    message: string,
    options: { readonly metadata?: Readonly<Record<string, string | number | boolean | null>> } = {},
  ) {
    super(code, message, { ...options, kind: KIND[code], retriable: false });
  }
}
