import { AuthError } from '../auth.error';
import { pageSizeFrom } from './page-size';
import { TokenBucketRateLimiter } from './token-bucket.rate-limiter';

describe('TokenBucketRateLimiter', () => {
  const tenant = { capacity: 5, refillPerSecond: 1 };
  const token = { capacity: 2, refillPerSecond: 0.5 };

  it('admits a burst up to the capacity, then refuses with the wait until the next token', () => {
    let now = 0;
    const limiter = new TokenBucketRateLimiter(() => now);
    const ask = () => limiter.consume([{ key: 'token:a', limit: token }]);
    expect(ask().allowed).toBe(true);
    expect(ask().allowed).toBe(true);
    expect(ask()).toEqual({ allowed: false, retryAfterSeconds: 2, limitedBy: 'token:a' });
    now += 1_000;
    expect(ask()).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(ask().allowed).toBe(true);
  });

  it('takes from every bucket or none: the tenant limit spans its tokens', () => {
    const now = 0;
    const limiter = new TokenBucketRateLimiter(() => now);
    const ask = (t: string) =>
      limiter.consume([
        { key: 'tenant:acme', limit: tenant },
        { key: `token:${t}`, limit: token },
      ]);
    expect([ask('a'), ask('a'), ask('a')].map((o) => o.allowed)).toEqual([true, true, false]);
    expect([ask('b'), ask('b'), ask('c')].map((o) => o.allowed)).toEqual([true, true, true]);
    const refused = ask('d');
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'tenant:acme', retryAfterSeconds: 1 });
    // Another tenant is untouched.
    expect(limiter.consume([{ key: 'tenant:globex', limit: tenant }]).allowed).toBe(true);
  });
});

describe('pageSizeFrom', () => {
  const limits = { defaultSize: 50, maxSize: 200 };
  it.each([
    [undefined, 50],
    ['', 50],
    ['1', 1],
    ['200', 200],
  ])('reads %p as %p', (value, size) => {
    expect(pageSizeFrom(value, limits)).toBe(size);
  });

  it.each(['201', '0', '-1', '1.5', 'ten', ['5', '6']])('refuses %p with a 400 problem code', (value) => {
    expect(() => pageSizeFrom(value, limits)).toThrow(AuthError);
    try {
      pageSizeFrom(value, limits);
    } catch (e: unknown) {
      expect(e).toMatchObject({
        code: 'LIMIT.PAGE_SIZE_EXCEEDED',
        kind: 'invalid',
        metadata: { maxPageSize: 200 },
      });
    }
  });
});
