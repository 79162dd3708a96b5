import { RemediationError } from '../../domain/remediation.error';

export interface PollSettings {
  readonly pollIntervalMs: number;
  /** How long one activity attempt waits; past it the attempt fails retriably and the retry waits on. */
  readonly timeoutMs: number;
}

/** A cloud call that failed in a way a retry may fix (throttled past the SDK's retries, unreachable). */
export function executorUnavailable(what: string, error: unknown): RemediationError {
  return new RemediationError(
    'REMEDIATION.EXECUTOR_FAILED',
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    { kind: 'unavailable', retriable: true, cause: error },
  );
}

/**
 * Reads a long-running operation until `settled`, reporting each status through `onProgress` (the
 * activity's heartbeat). An operation still running at the deadline fails the attempt retriably; the
 * operation was recorded before it was awaited, so the retry waits for the same one.
 */
export async function pollOperation<T>(
  what: string,
  read: () => Promise<T>,
  settled: (status: T) => boolean,
  describe: (status: T) => string,
  settings: PollSettings,
  onProgress?: (detail: string) => void,
): Promise<T> {
  const deadline = Date.now() + settings.timeoutMs;
  for (;;) {
    const status = await read();
    if (settled(status)) return status;
    onProgress?.(`${what}: ${describe(status)}`);
    if (Date.now() > deadline) {
      throw new RemediationError('REMEDIATION.EXECUTOR_FAILED', `${what} still ${describe(status)}`, {
        kind: 'unavailable',
        retriable: true,
        metadata: { operation: what, status: describe(status) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, settings.pollIntervalMs));
  }
}
