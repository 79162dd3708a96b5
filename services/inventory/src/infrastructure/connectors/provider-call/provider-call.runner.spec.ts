import { InventoryError } from '../../../domain/inventory.error';
import { backoffDelayMs, parseRetryAfter, providerCallPolicy } from './provider-call.policy';
import { ProviderCallRunner, type ProviderFailure, type ProviderRetry } from './provider-call.runner';

class Throttled extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('slow down');
  }
}
class Refused extends Error {}

const classify = (error: unknown): ProviderFailure => {
  if (error instanceof Throttled) {
    return error.retryAfterMs === undefined
      ? { kind: 'throttled' }
      : { kind: 'throttled', retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof Refused) return { kind: 'auth' };
  return { kind: 'fatal' };
};

function runner(overrides: Partial<Parameters<typeof providerCallPolicy>[0]> = {}) {
  const waits: number[] = [];
  const retries: ProviderRetry[] = [];
  const calls = new ProviderCallRunner(
    providerCallPolicy({
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      callTimeoutMs: 5_000,
      ...overrides,
    }),
    classify,
    {
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      onRetry: (retry) => retries.push(retry),
    },
  );
  return { calls, waits, retries };
}

const live = () => new AbortController().signal;

describe('backoffDelayMs', () => {
  const policy = providerCallPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 });

  it('draws below a ceiling that doubles per retry and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(policy, retry, 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelayMs(policy, 3, 0)).toBe(0);
  });

  it('never retries before a Retry-After, but caps it at the maximum delay', () => {
    expect(backoffDelayMs(policy, 1, 0.5, 700)).toBe(700);
    expect(backoffDelayMs(policy, 1, 0.5, 60_000)).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(5_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('ProviderCallRunner', () => {
  it('retries throttling with jittered exponential delays until the call succeeds', async () => {
    const { calls, waits, retries } = runner();
    let attempts = 0;
    const result = await calls.call('list', live(), () => {
      attempts += 1;
      return attempts < 3 ? Promise.reject(new Throttled()) : Promise.resolve('page');
    });

    expect(result).toBe('page');
    expect(waits).toEqual([50, 100]);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 'throttled'],
      [2, 'throttled'],
    ]);
  });

  it('waits at least the Retry-After the provider asked for', async () => {
    const { calls, waits } = runner();
    let attempts = 0;
    await calls.call('list', live(), () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Throttled(800)) : Promise.resolve('ok');
    });
    expect(waits).toEqual([800]);
  });

  it('gives up after maxAttempts with a retriable throttling error', async () => {
    const { calls, waits } = runner({ maxAttempts: 3 });
    const failure = calls.call('list', live(), () => Promise.reject(new Throttled()));

    await expect(failure).rejects.toMatchObject({
      code: 'INVENTORY.CONNECTOR_THROTTLED',
      retriable: true,
      metadata: { operation: 'list', attempts: 3 },
    });
    expect(waits).toHaveLength(2);
  });

  it('does not retry refused credentials or bad requests', async () => {
    const { calls, waits } = runner();
    await expect(calls.call('login', live(), () => Promise.reject(new Refused('no')))).rejects.toMatchObject({
      code: 'INVENTORY.CONNECTOR_AUTH_FAILED',
      retriable: false,
    });
    await expect(calls.call('get', live(), () => Promise.reject(new Error('400')))).rejects.toMatchObject({
      code: 'INVENTORY.CONNECTOR_REQUEST_FAILED',
    });
    expect(waits).toEqual([]);
  });

  it('aborts an attempt that outlives the call timeout, then retries it', async () => {
    const { calls, retries } = runner({ callTimeoutMs: 100 });
    let attempts = 0;
    const result = await calls.call('slow', live(), (signal) => {
      attempts += 1;
      if (attempts > 1) return Promise.resolve('fast');
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );
    });

    expect(result).toBe('fast');
    expect(retries).toEqual([expect.objectContaining({ reason: 'timeout', attempt: 1 })]);
  });

  it('reports a call that always times out as CONNECTOR_TIMEOUT', async () => {
    const { calls } = runner({ callTimeoutMs: 100, maxAttempts: 2 });
    const hang = (signal: AbortSignal) =>
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error)),
      );

    const error: unknown = await calls.call('slow', live(), hang).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InventoryError);
    expect(error).toMatchObject({ code: 'INVENTORY.CONNECTOR_TIMEOUT', retriable: true });
  });

  it('stops at once when the scan is cancelled, without retrying', async () => {
    const { calls, retries } = runner();
    const controller = new AbortController();
    const reason = new Error('scan cancelled');
    const pending = calls.call('list', controller.signal, (signal) => {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    });
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(retries).toEqual([]);
  });

  it('rejects a wait in progress when the scan is cancelled', async () => {
    const controller = new AbortController();
    const calls = new ProviderCallRunner(
      providerCallPolicy({ baseDelayMs: 60_000, maxDelayMs: 60_000 }),
      classify,
      { random: () => 0.99, onRetry: () => controller.abort(new Error('stop')) },
    );

    await expect(
      calls.call('list', controller.signal, () => Promise.reject(new Throttled())),
    ).rejects.toThrow('stop');
  });
});
