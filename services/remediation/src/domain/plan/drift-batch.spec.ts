import { freezeDriftBatch, mergedDrift } from './drift-batch';

describe('drift batches', () => {
  const member = (assetId: string, cause: 'outdated' | 'revoked' = 'outdated', driftAgeDays = 1) => ({
    assetId,
    cause,
    driftAgeDays,
  });

  it('freezes the sorted union, leaving out locked and resting assets, whatever the arrival order', () => {
    const members = [member('c'), member('a'), member('d'), member('b'), member('a')];
    const frozen = freezeDriftBatch(members, new Set(['b']), new Set(['d', 'b']));
    expect(frozen).toEqual({ planned: ['a', 'c'], locked: ['b'], coolingDown: ['d'] });
    expect(freezeDriftBatch([...members].reverse(), new Set(['b']), new Set(['d', 'b']))).toEqual(frozen);
  });

  it('merges drift: revoked wins and the oldest age counts', () => {
    expect(
      mergedDrift([member('a', 'outdated', 3), member('b', 'revoked', 1), member('c', 'outdated', 40)]),
    ).toEqual({ cause: 'revoked', driftAgeDays: 40 });
    expect(mergedDrift([member('a', 'outdated', 2)])).toEqual({ cause: 'outdated', driftAgeDays: 2 });
  });
});
