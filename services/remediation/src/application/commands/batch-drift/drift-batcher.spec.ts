import { driftBatchId } from './drift-batcher';

describe('DriftBatcher', () => {
  it('derives the batch id from its key and first event only', () => {
    const key = { family: 'rhel9-golden', toVersion: '1.5.0', environment: 'prod' };
    const id = driftBatchId(key, '6f0e9c1e-0000-4000-8000-000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(driftBatchId({ ...key }, '6f0e9c1e-0000-4000-8000-000000000001')).toBe(id);
    expect(driftBatchId({ ...key, environment: 'dev' }, '6f0e9c1e-0000-4000-8000-000000000001')).not.toBe(id);
  });
});
