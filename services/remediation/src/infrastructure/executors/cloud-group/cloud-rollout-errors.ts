import { RemediationError } from '../../../domain/remediation.error';

/** A provider call that failed in a way a retry of the activity may get past (throttling, outage, timeout). */
export function providerUnavailable(what: string, error?: unknown): RemediationError {
  const reason =
    error === undefined ? '' : `: ${error instanceof Error ? error.message : JSON.stringify(error)}`;
  return new RemediationError('REMEDIATION.EXECUTOR_FAILED', `${what}${reason}`, {
    kind: 'unavailable',
    retriable: true,
    ...(error === undefined ? {} : { cause: error }),
  });
}

/** Waits between polls of a rollout; a wait, not a test's sleep. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
