import { InventoryError, type InventoryErrorCode } from '../../../domain/inventory.error';
import { backoffDelayMs, type ProviderCallPolicy } from './provider-call.policy';

/** What a provider error means for a retry; each connector maps its SDK's errors onto these. */
export type ProviderFailure =
  | { readonly kind: 'throttled'; readonly retryAfterMs?: number }
  /** A 5xx, a reset connection: worth another attempt. */
  | { readonly kind: 'transient'; readonly retryAfterMs?: number }
  /** Credentials missing, expired or refused: no retry can help. */
  | { readonly kind: 'auth' }
  /** Anything else (bad request, not found): retrying would repeat it. */
  | { readonly kind: 'fatal' };

export type ProviderFailureClassifier = (error: unknown) => ProviderFailure;

export interface ProviderRetry {
  readonly operation: string;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  readonly reason: ProviderFailure['kind'] | 'timeout';
  readonly delayMs: number;
}

export interface ProviderCallRunnerOptions {
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  readonly random?: () => number;
  /** Waits before a retry; must reject when the signal aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Observes each retry (metrics, tests); never sees credentials. */
  readonly onRetry?: (retry: ProviderRetry) => void;
}

const CODES: Readonly<Record<ProviderFailure['kind'] | 'timeout', InventoryErrorCode>> = {
  throttled: 'INVENTORY.CONNECTOR_THROTTLED',
  transient: 'INVENTORY.CONNECTOR_UNAVAILABLE',
  timeout: 'INVENTORY.CONNECTOR_TIMEOUT',
  auth: 'INVENTORY.CONNECTOR_AUTH_FAILED',
  fatal: 'INVENTORY.CONNECTOR_REQUEST_FAILED',
};

class CallTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'CallTimeout';
  }
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}

/**
 * Runs provider calls under the connector policy: each attempt gets its own timeout, throttling and
 * transient failures are retried with exponential backoff and full jitter, and the scan's signal
 * cancels both the call in flight and any wait. SDK-level retries are turned off by the connectors,
 * so this is the only place a provider call is repeated.
 */
export class ProviderCallRunner {
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    readonly policy: ProviderCallPolicy,
    private readonly classify: ProviderFailureClassifier,
    private readonly options: ProviderCallRunnerOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? abortableSleep;
  }

  async call<T>(operation: string, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      signal.throwIfAborted();
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new CallTimeout(this.policy.callTimeoutMs)),
        this.policy.callTimeoutMs,
      );
      let failure: ProviderFailure | { readonly kind: 'timeout'; readonly retryAfterMs?: undefined };
      let cause: unknown;
      try {
        return await fn(AbortSignal.any([signal, deadline.signal]));
      } catch (error: unknown) {
        if (signal.aborted) throw signal.reason;
        cause = error;
        failure = deadline.signal.aborted ? { kind: 'timeout' } : this.classify(error);
      } finally {
        clearTimeout(timer);
      }
      const retriable = failure.kind !== 'auth' && failure.kind !== 'fatal';
      if (!retriable || attempt >= this.policy.maxAttempts) {
        throw new InventoryError(
          CODES[failure.kind],
          `${operation} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${describe(cause)}`,
          { retriable, cause, metadata: { operation, attempts: attempt } },
        );
      }
      const retryAfterMs = 'retryAfterMs' in failure ? failure.retryAfterMs : undefined;
      const delayMs = backoffDelayMs(this.policy, attempt, this.random(), retryAfterMs);
      this.options.onRetry?.({ operation, attempt, reason: failure.kind, delayMs });
      await this.sleep(delayMs, signal);
    }
  }
}
