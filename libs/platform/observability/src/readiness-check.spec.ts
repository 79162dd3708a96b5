import { runReadinessChecks } from './readiness-check';

describe('runReadinessChecks', () => {
  it('reports each check, its error, and bounds a hung check by the timeout', async () => {
    const results = await runReadinessChecks(
      [
        { name: 'ok', check: () => Promise.resolve() },
        { name: 'broken', check: () => Promise.reject(new Error('connection refused')) },
        { name: 'hung', check: () => new Promise<void>(() => undefined) },
      ],
      50,
    );
    expect(results.map((r) => [r.name, r.status, r.error])).toEqual([
      ['ok', 'up', undefined],
      ['broken', 'down', 'connection refused'],
      ['hung', 'down', 'timed out after 50 ms'],
    ]);
  });
});
