import { AppError, type AppErrorOptions } from '@rf/platform-errors';

export type RemediationErrorCode =
  | 'REMEDIATION.INVALID_INPUT'
  | 'REMEDIATION.WEIGHTS_INVALID'
  | 'REMEDIATION.PLAN_NOT_FOUND'
  | 'REMEDIATION.ASSESSMENT_NOT_FOUND'
  | 'REMEDIATION.INVALID_TRANSITION'
  | 'REMEDIATION.TARGET_LOCKED'
  | 'REMEDIATION.TARGET_COOLING_DOWN'
  | 'REMEDIATION.POLICY_DENIED'
  | 'REMEDIATION.WORKFLOW_UNAVAILABLE'
  | 'REMEDIATION.EXECUTOR_FAILED'
  | 'REMEDIATION.HEALTH_UNAVAILABLE';

/** Every error of the remediation context; transports map `kind` and `retriable`. */
export class RemediationError extends AppError<RemediationErrorCode> {
  constructor(code: RemediationErrorCode, message: string, options: AppErrorOptions = {}) {
    super(code, message, options);
  }
}
