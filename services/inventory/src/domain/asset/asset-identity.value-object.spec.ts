import { DEFAULT_ORGANISATION } from '@rf/platform-events';
import fc from 'fast-check';
import { ASSET_ID_NAMESPACE, AssetIdentity, UNSCOPED_ORGANISATION } from './asset-identity.value-object';
import { uuidV5 } from './uuid-v5';

describe('uuidV5', () => {
  it('matches the RFC 9562 reference (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('is a version-5, RFC-variant UUID', () => {
    expect(uuidV5('anything', ASSET_ID_NAMESPACE)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});

describe('AssetIdentity', () => {
  const aws = {
    organisation: 'default',
    platform: 'aws',
    account: '123456789012',
    region: 'eu-west-1',
    instanceId: 'i-0a1b2c3d4e5f67890',
  } as const;

  it('gives the same asset id for the same platform, account, region and instance id', () => {
    expect(AssetIdentity.of(aws).assetId).toBe(AssetIdentity.of({ ...aws }).assetId);
  });

  it("is the event backbone's default organisation that keeps the ids of before organisations", () => {
    expect(UNSCOPED_ORGANISATION).toBe(DEFAULT_ORGANISATION);
  });

  it('is per organisation: the same machine in two organisations is two assets', () => {
    const acme = AssetIdentity.of({ ...aws, organisation: 'acme' });
    const globex = AssetIdentity.of({ ...aws, organisation: 'globex' });
    expect(acme.assetId).not.toBe(globex.assetId);
    expect(acme.assetId).not.toBe(AssetIdentity.of(aws).assetId);
    expect(acme.assetId).toBe(
      uuidV5('acme\u001faws\u001f123456789012\u001feu-west-1\u001fi-0a1b2c3d4e5f67890', ASSET_ID_NAMESPACE),
    );
    expect(acme.organisation).toBe('acme');
  });

  it('is stable across releases (the id is stored and is the Kafka key)', () => {
    expect(AssetIdentity.of(aws).assetId).toBe(
      uuidV5('aws\u001f123456789012\u001feu-west-1\u001fi-0a1b2c3d4e5f67890', ASSET_ID_NAMESPACE),
    );
  });

  it.each([
    ['platform', { platform: 'gcp' }],
    ['account', { account: '210987654321' }],
    ['region', { region: 'eu-west-2' }],
    ['instanceId', { instanceId: 'i-0a1b2c3d4e5f67891' }],
  ] as const)('changes when the %s changes', (_field, change) => {
    expect(AssetIdentity.of({ ...aws, ...change }).assetId).not.toBe(AssetIdentity.of(aws).assetId);
  });

  it('ignores spelling the provider itself ignores', () => {
    const azure = {
      organisation: 'acme',
      platform: 'azure',
      account: '5E0C1B1A-7D3F-4C2E-9A61-0F2B6D8E4A10',
      region: 'West Europe',
      instanceId:
        '/subscriptions/5E0C1B1A/resourceGroups/RG-App/providers/Microsoft.Compute/virtualMachines/vm1',
    } as const;
    const canonical = AssetIdentity.of({
      ...azure,
      account: azure.account.toLowerCase(),
      region: 'westeurope',
      instanceId: azure.instanceId.toLowerCase(),
    });
    expect(AssetIdentity.of(azure).assetId).toBe(canonical.assetId);
    expect(AssetIdentity.of({ ...aws, region: ' EU-WEST-1 ' }).assetId).toBe(AssetIdentity.of(aws).assetId);
  });

  it('keeps case where the provider is case-sensitive', () => {
    expect(AssetIdentity.of({ ...aws, instanceId: 'I-0A1B2C3D4E5F67890' }).assetId).not.toBe(
      AssetIdentity.of(aws).assetId,
    );
    const dc = { organisation: 'acme', platform: 'vsphere', account: 'vc1', instanceId: 'vm-1' } as const;
    expect(AssetIdentity.of({ ...dc, region: 'LDN-DC1' }).region).toBe('LDN-DC1');
  });

  it('cannot be fooled by moving characters between fields', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (a, b, c) => {
          fc.pre(a.trim() === a && b.trim() === b && c.trim() === c && !`${a}${b}${c}`.includes('\u001f'));
          const organisation = 'acme';
          const one = AssetIdentity.of({
            organisation,
            platform: 'file',
            account: a,
            region: b + c,
            instanceId: 'x',
          });
          const other = AssetIdentity.of({
            organisation,
            platform: 'file',
            account: a + b,
            region: c,
            instanceId: 'x',
          });
          return one.assetId !== other.assetId;
        },
      ),
    );
  });
});
