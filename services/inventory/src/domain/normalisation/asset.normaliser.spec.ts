import { AssetIdentity } from '../asset/asset-identity.value-object';
import {
  canonicalEnvironment,
  derivedSite,
  normaliseAsset,
  type NormalisationResult,
} from './asset.normaliser';
import { mapPowerState } from './power-state.mapper';
import type { RawAssetRecord } from './raw-asset-record';

const raw: RawAssetRecord = {
  platform: 'aws',
  account: '123456789012',
  region: 'eu-west-1',
  instanceId: 'i-0a1b2c3d4e5f67890',
  state: 'running',
  imageRef: 'ami-0c55b159cbfafe1f0',
  imageName: 'ubuntu-22-04-base-2025.10.14',
  tags: {
    Name: 'payments-api-1',
    environment: 'Production',
    project: 'payments',
    'rf:image-family': 'ubuntu-22-04-base',
  },
};

function ok(result: NormalisationResult) {
  if (!result.ok) throw new Error(`expected a normalised asset, got: ${result.problems.join('; ')}`);
  return result.asset;
}

describe('normaliseAsset', () => {
  it('puts an asset without a named organisation in the default one', () => {
    const asset = ok(normaliseAsset(raw));
    expect(asset.organisation).toBe('default');
    expect(asset.assetId).not.toBe(ok(normaliseAsset(raw, { organisation: 'acme' })).assetId);
  });

  it('produces the provider-neutral asset with its stable id', () => {
    expect(ok(normaliseAsset(raw, { organisation: 'acme' }))).toEqual({
      assetId: AssetIdentity.of({
        organisation: 'acme',
        platform: 'aws',
        account: '123456789012',
        region: 'eu-west-1',
        instanceId: 'i-0a1b2c3d4e5f67890',
      }).assetId,
      organisation: 'acme',
      platform: 'aws',
      account: '123456789012',
      region: 'eu-west-1',
      instanceId: 'i-0a1b2c3d4e5f67890',
      site: 'eu-west',
      environment: 'prod',
      project: 'payments',
      imageRef: 'ami-0c55b159cbfafe1f0',
      imageFamily: 'ubuntu-22-04-base',
      imageVersion: '2025.10.14',
      state: 'running',
      tags: raw.tags,
    });
  });

  it('sorts tags so that equal tag sets compare and serialise identically', () => {
    const asset = ok(normaliseAsset({ ...raw, tags: { b: '2', a: '1' } }));
    expect(Object.keys(asset.tags)).toEqual(['a', 'b']);
  });

  it('takes explicit fields over tags, and site aliases over derived sites', () => {
    const asset = ok(
      normaliseAsset(
        { ...raw, environment: 'qa', project: 'search', site: undefined },
        { siteAliases: { 'eu-west-1': 'dublin' } },
      ),
    );
    expect(asset).toMatchObject({ environment: 'qa', project: 'search', site: 'dublin' });
    expect(
      ok(normaliseAsset({ ...raw, site: 'dub-1' }, { siteAliases: { 'eu-west-1': 'dublin' } })).site,
    ).toBe('dub-1');
  });

  it('leaves unknown attributes null rather than guessing', () => {
    const asset = ok(normaliseAsset({ ...raw, tags: {}, imageRef: null, imageName: null }));
    expect(asset).toMatchObject({
      environment: null,
      project: null,
      imageRef: null,
      imageFamily: null,
      imageVersion: null,
    });
  });

  it.each([
    [{ platform: 'openstack' }, /platform "openstack" is not supported/],
    [{ account: '  ' }, /account is required/],
    [{ region: undefined as unknown as string }, /region is required/],
    [{ instanceId: 'i-'.padEnd(600, 'x') }, /instanceId is longer than 512/],
    [{ state: 'hibernating' }, /state "hibernating" is not a known power state/],
    [{ tags: { owner: 'x'.repeat(513) } }, /tag owner is longer than 512/],
    [{ tags: { ['k'.repeat(129)]: 'v' } }, /tag key .* must have 1-128 characters/],
    [{ tags: { count: 3 as unknown as string } }, /tag count must be a string/],
    [{ tags: { 'two\nlines': 'v' } }, /contains a line break/],
  ])('rejects %p, listing why', (change, problem) => {
    const result = normaliseAsset({ ...raw, ...change });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });

  it('reads the image version from the image tags, below the asset own tags, without copying them', () => {
    const fromImage = ok(
      normaliseAsset({
        ...raw,
        imageName: 'ubuntu-22-04-base',
        tags: { Name: 'web-1' },
        imageTags: { 'rf:image-version': '2025.11.02', 'rf:image-family': 'ubuntu-22-04-base' },
      }),
    );
    expect(fromImage).toMatchObject({ imageFamily: 'ubuntu-22-04-base', imageVersion: '2025.11.02' });
    expect(fromImage.tags).toEqual({ Name: 'web-1' });

    const pinned = ok(
      normaliseAsset({
        ...raw,
        tags: { 'rf:image-version': '2025.12.01' },
        imageTags: { 'rf:image-version': '2025.11.02' },
      }),
    );
    expect(pinned.imageVersion).toBe('2025.12.01');
  });

  it('lists every problem of a record at once', () => {
    const result = normaliseAsset({ ...raw, account: '', state: '?', tags: { a: 1 as unknown as string } });
    expect(result.ok ? [] : result.problems).toHaveLength(3);
  });
});

describe('mapPowerState', () => {
  it.each([
    ['aws', 'pending', 'running'],
    ['aws', 'stopping', 'stopped'],
    ['aws', 'shutting-down', 'terminated'],
    ['aws', 'terminated', 'terminated'],
    ['azure', 'PowerState/deallocated', 'stopped'],
    ['azure', 'PowerState/running', 'running'],
    ['azure', 'Deleting', 'terminated'],
    ['gcp', 'TERMINATED', 'stopped'],
    ['gcp', 'STAGING', 'running'],
    ['vsphere', 'poweredOn', 'running'],
    ['vsphere', 'suspended', 'stopped'],
  ] as const)('%s %s → %s', (platform, word, state) => {
    expect(mapPowerState(platform, word)).toBe(state);
  });

  it('does not mistake object keys for states', () => {
    expect(mapPowerState('aws', 'constructor')).toBeUndefined();
    expect(mapPowerState('aws', '__proto__')).toBeUndefined();
  });
});

describe('canonicalEnvironment and derivedSite', () => {
  it.each([
    ['Production', 'prod'],
    ['PRD', 'prod'],
    ['Development', 'dev'],
    ['stg', 'staging'],
    ['QA 1', 'qa-1'],
    ['--', null],
  ])('environment %p → %p', (value, expected) => {
    expect(canonicalEnvironment(value)).toBe(expected);
  });

  it.each([
    ['aws', 'eu-west-1', 'eu-west'],
    ['gcp', 'europe-west1-b', 'europe-west'],
    ['gcp', 'us-central1', 'us-central'],
    ['azure', 'westeurope', 'westeurope'],
    ['vsphere', 'LDN-DC1', 'LDN-DC1'],
  ] as const)('site of %s %s → %s', (platform, region, site) => {
    expect(derivedSite(platform, region)).toBe(site);
  });
});
