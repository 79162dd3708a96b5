import { z } from 'zod';

/**
 * How every cloud and vCenter call of a connector is retried and bounded. One policy for all
 * connectors, so throttling behaves the same whichever provider a scan talks to.
 */
export interface ProviderCallPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Ceiling of the first retry's delay; doubles per attempt (full jitter below it). */
  readonly baseDelayMs: number;
  /** No single wait exceeds this, whatever the attempt or a provider's Retry-After. */
  readonly maxDelayMs: number;
  /** Each attempt is aborted after this long. */
  readonly callTimeoutMs: number;
}

export const DEFAULT_PROVIDER_CALL_POLICY: ProviderCallPolicy = {
  maxAttempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  callTimeoutMs: 30_000,
};

/** The part of every connector's settings that tunes retries and timeouts; all fields optional. */
export const providerCallPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(20),
    baseDelayMs: z.number().int().min(1).max(60_000),
    maxDelayMs: z.number().int().min(1).max(300_000),
    callTimeoutMs: z.number().int().min(100).max(600_000),
  })
  .partial()
  .strict()
  .refine((p) => p.baseDelayMs === undefined || p.maxDelayMs === undefined || p.baseDelayMs <= p.maxDelayMs, {
    message: 'baseDelayMs must not exceed maxDelayMs',
  });

export type ProviderCallPolicyInput = z.infer<typeof providerCallPolicySchema>;

export function providerCallPolicy(input: ProviderCallPolicyInput = {}): ProviderCallPolicy {
  return { ...DEFAULT_PROVIDER_CALL_POLICY, ...input };
}

/**
 * Delay before retry number `retry` (1 for the first retry): "full jitter", a uniform draw below an
 * exponentially growing ceiling, so many scanners throttled together do not retry in lockstep. A
 * provider's Retry-After is a floor: retrying earlier would only be refused again.
 */
export function backoffDelayMs(
  policy: ProviderCallPolicy,
  retry: number,
  random: number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random * ceiling);
  const floor = retryAfterMs !== undefined && retryAfterMs > 0 ? retryAfterMs : 0;
  return Math.min(policy.maxDelayMs, Math.max(floor, jittered));
}

export { parseRetryAfter } from '@rf/platform-errors';
