import { AppError, type AppErrorOptions, type ErrorKind } from '@rf/platform-errors';

export type ImageErrorCode =
  | 'IMAGE.INVALID_REQUEST'
  | 'IMAGE.MANIFEST_INVALID'
  | 'IMAGE.PLATFORM_REF_INVALID'
  | 'IMAGE.SBOM_INVALID'
  | 'IMAGE.SBOM_DIGEST_MISMATCH'
  | 'IMAGE.CONTRACT_INVALID'
  | 'IMAGE.CONTRACT_MISMATCH'
  | 'IMAGE.SIGNATURE_REJECTED'
  | 'IMAGE.NOT_FOUND'
  | 'IMAGE.SBOM_NOT_FOUND'
  | 'IMAGE.PARENT_NOT_FOUND'
  | 'IMAGE.PARENT_REVOKED'
  | 'IMAGE.VERSION_EXISTS'
  | 'IMAGE.REVOKED'
  | 'IMAGE.ALREADY_REVOKED'
  | 'IMAGE.CHANNEL_INVALID'
  | 'IMAGE.PROMOTION_DENIED'
  | 'IMAGE.POLICY_UNAVAILABLE';

const KIND: Readonly<Record<ImageErrorCode, ErrorKind>> = {
  'IMAGE.INVALID_REQUEST': 'invalid',
  'IMAGE.MANIFEST_INVALID': 'invalid',
  'IMAGE.PLATFORM_REF_INVALID': 'invalid',
  'IMAGE.SBOM_INVALID': 'invalid',
  'IMAGE.SBOM_DIGEST_MISMATCH': 'invalid',
  'IMAGE.CONTRACT_INVALID': 'invalid',
  'IMAGE.CONTRACT_MISMATCH': 'invalid',
  'IMAGE.SIGNATURE_REJECTED': 'invalid',
  'IMAGE.NOT_FOUND': 'not_found',
  'IMAGE.SBOM_NOT_FOUND': 'not_found',
  'IMAGE.PARENT_NOT_FOUND': 'invalid',
  'IMAGE.PARENT_REVOKED': 'conflict',
  'IMAGE.VERSION_EXISTS': 'conflict',
  'IMAGE.REVOKED': 'conflict',
  'IMAGE.ALREADY_REVOKED': 'conflict',
  'IMAGE.CHANNEL_INVALID': 'conflict',
  'IMAGE.PROMOTION_DENIED': 'forbidden',
  'IMAGE.POLICY_UNAVAILABLE': 'unavailable',
};

/** Errors of the golden-image registry; the HTTP filter maps each kind to its status once. */
export class ImageError extends AppError<ImageErrorCode> {
  constructor(code: ImageErrorCode, message: string, options: Omit<AppErrorOptions, 'kind'> = {}) {
    super(code, message, { ...options, kind: KIND[code] });
  }
}
