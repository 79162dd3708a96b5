import { AppError, type ErrorKind } from '@rf/platform-errors';

export type GatewayErrorCode =
  'GATEWAY.UPSTREAM_UNAVAILABLE' | 'GATEWAY.UPSTREAM_TIMEOUT' | 'GATEWAY.BODY_INVALID';

const KIND: Readonly<Record<GatewayErrorCode, ErrorKind>> = {
  'GATEWAY.UPSTREAM_UNAVAILABLE': 'unavailable',
  'GATEWAY.UPSTREAM_TIMEOUT': 'unavailable',
  'GATEWAY.BODY_INVALID': 'invalid',
};

export class GatewayError extends AppError<GatewayErrorCode> {
  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { cause?: unknown; metadata?: Record<string, unknown> } = {},
  ) {
    super(code, message, { kind: KIND[code], ...options });
  }
}
