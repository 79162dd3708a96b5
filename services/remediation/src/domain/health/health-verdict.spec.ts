import { analyseHealth } from './health-verdict';

describe('analyseHealth', () => {
  const criteria = { maxErrorRatio: 0.1, minSamples: 3 };
  it('is success within the error ratio', () => {
    expect(analyseHealth([{ source: 'p', bad: 0, total: 5 }], criteria).verdict).toBe('success');
  });
  it('is failure above it', () => {
    const a = analyseHealth(
      [
        { source: 'p', bad: 1, total: 2 },
        { source: 'h', bad: 1, total: 2 },
      ],
      criteria,
    );
    expect(a).toMatchObject({ verdict: 'failure', errorRatio: 0.5, samples: 4 });
  });
  it('is inconclusive with too few observations', () => {
    expect(analyseHealth([{ source: 'p', bad: 0, total: 2 }], criteria).verdict).toBe('inconclusive');
    expect(analyseHealth([], criteria).verdict).toBe('inconclusive');
  });
});
