import { AssetIdentity } from './asset/asset-identity.value-object';
import type { ObservedAsset, TrackedAsset } from './asset/asset.entity';
import { fingerprintOf } from './change-detection/asset-fingerprint';

/** A plausible observed asset for domain tests; `n` varies the instance id. */
export function observedAsset(n: number, change: Partial<ObservedAsset> = {}): ObservedAsset {
  const identity = AssetIdentity.of({
    organisation: 'default',
    platform: 'aws',
    account: '123456789012',
    region: 'eu-west-1',
    instanceId: `i-${n}`,
  });
  return {
    assetId: identity.assetId,
    organisation: identity.organisation,
    platform: 'aws',
    account: identity.account,
    region: identity.region,
    instanceId: identity.instanceId,
    site: 'eu-west',
    environment: 'prod',
    project: 'payments',
    imageRef: 'ami-0c55b159cbfafe1f0',
    imageFamily: 'ubuntu-22-04-base',
    imageVersion: '2025.10.14',
    state: 'running',
    tags: { Name: `api-${n}`, team: 'payments' },
    ...change,
  };
}

export function trackedAsset(observed: ObservedAsset, change: Partial<TrackedAsset> = {}): TrackedAsset {
  return {
    ...observed,
    connectorId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
    discoveredAt: new Date('2025-11-20T08:00:00Z'),
    lastSeenAt: new Date('2025-11-21T08:00:00Z'),
    lastSeenScanId: '11111111-1111-4111-8111-111111111111',
    missedScans: 0,
    removedAt: null,
    removalReason: null,
    fingerprint: fingerprintOf(observed),
    ...change,
  };
}
