import type { DriftTransition } from './drift.types';
import { attributeResolution, type RemediationTarget } from './remediation-target';

const asset = {
  assetId: '3f6c2a9e-8b1d-4e57-9c0a-2d7e5b4f1a63',
  environment: 'prod',
  platform: 'aws' as const,
  site: null,
  region: 'eu-west-1',
  imageRef: 'ami-2',
  state: 'running' as const,
};
const episode = {
  driftId: 'd-1',
  family: 'ubuntu',
  runningVersion: '1',
  expectedVersion: '2',
  cause: 'outdated' as const,
  since: 0,
  openedAt: 0,
};
const resolved = (
  resolution: 'updated_out_of_band' | 'baseline_changed',
  currentVersion = '2',
): DriftTransition => ({
  kind: 'resolved',
  asset,
  episode,
  resolution,
  currentVersion,
  at: 1,
});
const target: RemediationTarget = {
  assetId: asset.assetId,
  planId: 'p-1',
  family: 'ubuntu',
  toVersion: '2',
  plannedAt: 0,
};

describe('attributeResolution', () => {
  it('credits the plan when the asset now runs the version the plan targeted', () => {
    expect(attributeResolution(resolved('updated_out_of_band'), target)).toMatchObject({
      resolution: 'remediated',
      remediationPlanId: 'p-1',
      currentVersion: '2',
    });
  });

  it('leaves other versions, other families, baseline changes and detections as they are', () => {
    for (const t of [
      resolved('updated_out_of_band', '3'),
      resolved('baseline_changed'),
      { kind: 'detected', asset, episode, at: 1 } as DriftTransition,
    ]) {
      expect(attributeResolution(t, target)).toBe(t);
    }
    const other = resolved('updated_out_of_band');
    expect(attributeResolution(other, { ...target, family: 'rhel' })).toBe(other);
    expect(attributeResolution(other, undefined)).toBe(other);
  });
});
