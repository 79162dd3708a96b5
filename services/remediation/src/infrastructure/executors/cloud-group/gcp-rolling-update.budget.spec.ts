import { rollingUpdateBudget, templateNameOf } from './gcp-rolling-update.budget';

describe('GCP rolling-update budget', () => {
  it('surges by the wave concurrency on a zonal MIG and keeps every instance serving', () => {
    expect(rollingUpdateBudget(1, null)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(rollingUpdateBudget(4, null)).toEqual({ maxSurge: 4, maxUnavailable: 0 });
    expect(rollingUpdateBudget(0, null)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  it('surges at least one instance per zone on a regional MIG', () => {
    expect(rollingUpdateBudget(1, 3)).toEqual({ maxSurge: 3, maxUnavailable: 0 });
    expect(rollingUpdateBudget(5, 3)).toEqual({ maxSurge: 5, maxUnavailable: 0 });
  });

  it('names templates per group and version within 63 lowercase characters', () => {
    expect(templateNameOf('web-mig', '1.5.0')).toBe('rf-web-mig-1-5-0');
    const long = templateNameOf('a'.repeat(60), '2025.10.14+build.7');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/u);
    expect(templateNameOf('a'.repeat(60), '2025.10.15')).not.toBe(
      templateNameOf('a'.repeat(60), '2025.10.14'),
    );
  });
});
