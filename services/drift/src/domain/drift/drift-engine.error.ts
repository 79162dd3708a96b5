import { AppError, type AppErrorOptions } from '@rf/platform-errors';

export type DriftEngineErrorCode = 'DRIFT.INVALID_REPORT_REQUEST';

/** Failures of the drift engine and its reports. */
export class DriftEngineError extends AppError<DriftEngineErrorCode> {
  constructor(code: DriftEngineErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, { kind: 'invalid', ...options });
  }
}
