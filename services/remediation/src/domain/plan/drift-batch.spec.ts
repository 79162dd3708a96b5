import { driftBatchId } from '../../application/commands/batch-drift/drift-batcher';
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
    expect(mergedDrift([member('a', 'outdated', 3), member('b', 'revoked', 1), member('c', 'outdated', 40)])).toEqual(
      { cause: 'revoked', driftAgeDays: 40 },
    );
    expect(mergedDrift([member('a', 'outdated', 2)])).toEqual({ cause: 'outdated', driftAgeDays: 2 });
  });

  it('derives the batch id from its key and first event only', () => {
    const key = { family: 'rhel9-golden', toVersion: '1.5.0', environment: 'prod' };
    const id = driftBatchId(key, '6f0e9c1e-0000-4000-8000-000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(driftBatchId({ ...key }, '6f0e9c1e-0000-4000-8000-000000000001')).toBe(id);
    expect(driftBatchId({ ...key, environment: 'dev' }, '6f0e9c1e-0000-4000-8000-000000000001')).not.toBe(id);
  });
});
