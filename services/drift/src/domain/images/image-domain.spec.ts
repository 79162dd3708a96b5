import { IMAGE_CHANNELS, isImageChannel, nextChannel } from './image-channel';
import { descendantsOf } from './image-lineage';
import { ImageVersion, type ImageVersionProps, type Revocation } from './image-version.entity';
import { ImageError } from './image.error';
import { assertPlatformRefs } from './platform-ref';
import { diffSboms } from './sbom-diff';
import { parseSpdx23, type SbomPackage } from './spdx-document';

const NOW = new Date('2025-11-22T12:00:00Z');
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

function version(overrides: Partial<ImageVersionProps> = {}): ImageVersion {
  return new ImageVersion({
    id: 'v-1',
    family: 'ubuntu-22-04-base',
    version: '2025.11.04',
    channel: 'dev',
    parent: null,
    digest: `sha256:${'a'.repeat(64)}`,
    os: { name: 'ubuntu', version: '22.04' },
    artifacts: [{ platform: 'aws', region: 'eu-west-1', imageRef: 'ami-0f1e2d3c4b5a69788' }],
    contractRef: null,
    cis: { level: 2, score: 95 },
    slsaLevel: 3,
    sbom: { uri: 's3://b/x.json', sha256: 'b'.repeat(64), packageCount: 3, contractCheck: null },
    signature: {
      verified: true,
      mode: 'enforce',
      keyId: 'release',
      identity: 'release',
      issuer: 'key',
      failure: null,
      checkedAt: NOW,
    },
    builtAt: NOW,
    publishedAt: NOW,
    channels: [{ channel: 'dev', enteredAt: NOW, policyDecisionId: null, rollback: false }],
    revocations: [],
    ...overrides,
  });
}

const revocation = (effectiveAt: Date, causeVersionId = 'v-1'): Revocation => ({
  id: `r-${effectiveAt.toISOString()}`,
  causeVersionId,
  reason: 'vulnerability',
  detail: 'CVE',
  effectiveAt,
  revokedAt: NOW,
});

describe('image channels', () => {
  it('run dev, staging, prod one step at a time', () => {
    expect(IMAGE_CHANNELS).toEqual(['dev', 'staging', 'prod']);
    expect(nextChannel('dev')).toBe('staging');
    expect(nextChannel('staging')).toBe('prod');
    expect(nextChannel('prod')).toBeUndefined();
    expect(isImageChannel('production')).toBe(false);
  });

  it('promote a version to the next channel only', () => {
    expect(version().promotionTarget(NOW)).toBe('staging');
    expect(version({ channel: 'staging' }).promotionTarget(NOW, 'prod')).toBe('prod');
    expect(() => version().promotionTarget(NOW, 'prod')).toThrow(
      expect.objectContaining({ code: 'IMAGE.CHANNEL_INVALID' }) as Error,
    );
    expect(() => version({ channel: 'prod' }).promotionTarget(NOW)).toThrow(
      expect.objectContaining({ code: 'IMAGE.CHANNEL_INVALID', kind: 'conflict' }) as Error,
    );
  });
});

describe('channel rollback', () => {
  it('makes an earlier version of the channel current again, never a revoked one or the current one', () => {
    const earlier = version({ channel: 'prod' });
    expect(earlier.rollbackChannel(NOW, 'v-2')).toBe('prod');
    expect(() => earlier.rollbackChannel(NOW, 'v-1')).toThrow(
      expect.objectContaining({ code: 'IMAGE.CHANNEL_INVALID' }) as Error,
    );
    expect(() => earlier.rollbackChannel(NOW, undefined)).toThrow(ImageError);
    const revoked = version({ channel: 'prod', revocations: [revocation(NOW)] });
    expect(() => revoked.rollbackChannel(NOW, 'v-2')).toThrow(
      expect.objectContaining({ code: 'IMAGE.REVOKED' }) as Error,
    );
  });
});

describe('revocation', () => {
  it('applies from its effective time: immediate now, scheduled later', () => {
    const scheduled = version({ revocations: [revocation(hours(2))] });
    expect(scheduled.isRevokedAt(NOW)).toBe(false);
    expect(scheduled.scheduledRevocations(NOW)).toHaveLength(1);
    expect(scheduled.isRevokedAt(hours(2))).toBe(true);
    expect(version({ revocations: [revocation(NOW)] }).isRevokedAt(NOW)).toBe(true);
  });

  it('makes a version never compliant and never promotable', () => {
    const revoked = version({ revocations: [revocation(hours(-1), 'parent')] });
    expect(version().isCompliantAt(NOW)).toBe(true);
    expect(revoked.isCompliantAt(NOW)).toBe(false);
    expect(revoked.revocationAt(NOW)?.causeVersionId).toBe('parent');
    expect(() => revoked.promotionTarget(NOW)).toThrow(ImageError);
    expect(() => revoked.promotionTarget(NOW)).toThrow(
      expect.objectContaining({ code: 'IMAGE.REVOKED' }) as Error,
    );
  });

  it('counts an unverified signature as not compliant', () => {
    const unsigned = version({ signature: { ...version().props.signature, verified: false } });
    expect(unsigned.isCompliantAt(NOW)).toBe(false);
  });

  it('picks the earliest effective revocation when several apply', () => {
    const v = version({ revocations: [revocation(hours(-1), 'late'), revocation(hours(-5), 'early')] });
    expect(v.revocationAt(NOW)?.causeVersionId).toBe('early');
  });
});

describe('descendantsOf', () => {
  const edges = [
    { id: 'minimal', parentId: null },
    { id: 'base', parentId: 'minimal' },
    { id: 'web', parentId: 'base' },
    { id: 'db', parentId: 'base' },
    { id: 'web-tuned', parentId: 'web' },
    { id: 'other', parentId: null },
    { id: 'other-child', parentId: 'other' },
  ];

  it('finds every version built on the root, transitively, and nothing else', () => {
    expect(descendantsOf('minimal', edges)).toEqual(['base', 'web', 'db', 'web-tuned']);
    expect(descendantsOf('web', edges)).toEqual(['web-tuned']);
    expect(descendantsOf('db', edges)).toEqual([]);
  });

  it('terminates on a cycle', () => {
    expect(
      descendantsOf('a', [
        { id: 'a', parentId: 'b' },
        { id: 'b', parentId: 'a' },
      ]),
    ).toEqual(['b']);
  });
});

describe('platform references', () => {
  it('accept an AMI per region, a gallery version, a GCP image and a vSphere template', () => {
    expect(() =>
      assertPlatformRefs([
        { platform: 'aws', region: 'eu-west-1', imageRef: 'ami-0f1e2d3c4b5a69788' },
        { platform: 'aws', region: 'us-east-1', imageRef: 'ami-12345678' },
        {
          platform: 'azure',
          imageRef:
            '/subscriptions/0000/resourceGroups/rf/providers/Microsoft.Compute/galleries/rf/images/ubuntu/versions/2025.11.4',
        },
        { platform: 'gcp', imageRef: 'projects/rf-images/global/images/ubuntu-22-04-base-v20251104' },
        { platform: 'vsphere', region: 'LDN-DC1', imageRef: 'ubuntu-22-04-base-2025.11.04' },
      ]),
    ).not.toThrow();
  });

  it('refuse malformed references with every problem listed', () => {
    try {
      assertPlatformRefs([
        { platform: 'aws', imageRef: 'ami-xyz' },
        { platform: 'gcp', imageRef: 'ubuntu' },
        { platform: 'vsphere', imageRef: 'tmpl' },
        { platform: 'aws', region: 'eu-west-1', imageRef: 'ami-12345678' },
        { platform: 'aws', region: 'eu-west-1', imageRef: 'ami-87654321' },
      ]);
      throw new Error('expected a failure');
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: 'IMAGE.PLATFORM_REF_INVALID', kind: 'invalid' });
      expect((error as ImageError).metadata['problems']).toHaveLength(5);
    }
  });
});

const spdx = (packages: object[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'ubuntu-22-04-base-2025.11.04',
    documentNamespace: 'https://sboms.example.com/ubuntu/2025.11.04-1',
    creationInfo: { created: '2025-11-04T03:10:00Z', creators: ['Tool: syft-1.16.0'] },
    packages,
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-image',
      },
    ],
    ...extra,
  });
const pkg = (id: string, name: string, version: string, purl?: string) => ({
  SPDXID: `SPDXRef-${id}`,
  name,
  versionInfo: version,
  downloadLocation: 'NOASSERTION',
  ...(purl
    ? {
        externalRefs: [
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl },
        ],
      }
    : {}),
});

describe('SPDX 2.3 documents', () => {
  it('read packages with their versionless purls', () => {
    const result = parseSpdx23(
      spdx([
        pkg('image', 'ubuntu-22-04-base', '2025.11.04'),
        pkg('p1', 'openssl', '3.0.2', 'pkg:deb/ubuntu/openssl@3.0.2?arch=amd64'),
      ]),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.packages[1]).toEqual({
      spdxId: 'SPDXRef-p1',
      name: 'openssl',
      version: '3.0.2',
      purl: 'pkg:deb/ubuntu/openssl',
      supplier: null,
    });
  });

  it('refuse other versions, missing creation info, duplicate ids and a document describing nothing', () => {
    const result = parseSpdx23(
      spdx([pkg('a', 'x', '1'), pkg('a', 'y', '2')], {
        spdxVersion: 'SPDX-2.2',
        creationInfo: { created: 'yesterday', creators: [] },
        relationships: [],
      }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'spdxVersion must be "SPDX-2.3"',
        'creationInfo.created must be a UTC timestamp',
        'creationInfo.creators must list "Tool: …", "Organization: …" or "Person: …"',
        'packages[1].SPDXID SPDXRef-a is not unique',
        'the document must DESCRIBE one of its packages (the image)',
      ],
    });
    expect(parseSpdx23('{nope')).toMatchObject({ ok: false });
    expect(parseSpdx23('[]')).toEqual({ ok: false, problems: ['the document must be a JSON object'] });
  });
});

describe('diffSboms', () => {
  const p = (name: string, version: string | null, purl: string | null = null): SbomPackage => ({
    spdxId: `SPDXRef-${name}-${version ?? ''}`,
    name,
    version,
    purl,
    supplier: null,
  });

  it('lists added, removed and changed packages, sorted, and counts the rest', () => {
    const base = [
      p('openssl', '3.0.2', 'pkg:deb/ubuntu/openssl'),
      p('bash', '5.1'),
      p('telnet', '0.17'),
      p('zlib', '1.2'),
    ];
    const target = [
      p('openssl', '3.0.13', 'pkg:deb/ubuntu/openssl'),
      p('bash', '5.1'),
      p('auditd', '3.0'),
      p('zlib', '1.3'),
    ];
    expect(diffSboms(base, target)).toEqual({
      added: [{ name: 'auditd', purl: null, versions: ['3.0'] }],
      removed: [{ name: 'telnet', purl: null, versions: ['0.17'] }],
      changed: [
        { name: 'openssl', purl: 'pkg:deb/ubuntu/openssl', from: ['3.0.2'], to: ['3.0.13'] },
        { name: 'zlib', purl: null, from: ['1.2'], to: ['1.3'] },
      ],
      unchanged: 1,
    });
  });

  it('keeps a package identified by purl when it is renamed, and tracks multiple versions', () => {
    const base = [p('libssl3', '3.0.2', 'pkg:deb/ubuntu/libssl3'), p('python', '3.10'), p('python', '3.11')];
    const target = [p('libssl3 (renamed)', '3.0.2', 'pkg:deb/ubuntu/libssl3'), p('python', '3.11')];
    expect(diffSboms(base, target)).toEqual({
      added: [],
      removed: [],
      changed: [{ name: 'python', purl: null, from: ['3.10', '3.11'], to: ['3.11'] }],
      unchanged: 1,
    });
  });

  it('is empty between identical SBOMs', () => {
    const same = [p('a', '1'), p('b', '2')];
    expect(diffSboms(same, same)).toEqual({ added: [], removed: [], changed: [], unchanged: 2 });
  });
});
