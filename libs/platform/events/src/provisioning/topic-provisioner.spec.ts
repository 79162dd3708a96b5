import { fitToCluster } from './topic-provisioner';

describe('fitToCluster', () => {
  const spec = {
    name: 't',
    partitions: 6,
    replicationFactor: 3,
    config: { 'min.insync.replicas': 2, 'retention.ms': 1 },
  };

  it('caps replication and min.insync.replicas at the brokers available', () => {
    expect(fitToCluster(spec, 1)).toEqual({
      ...spec,
      replicationFactor: 1,
      config: { 'min.insync.replicas': 1, 'retention.ms': 1 },
    });
  });

  it('keeps production values on a cluster large enough', () => {
    expect(fitToCluster(spec, 5)).toEqual(spec);
  });
});
