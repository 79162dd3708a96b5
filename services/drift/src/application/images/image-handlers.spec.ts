import type { NewEvent } from '@rf/platform-events';
import { createHash } from 'node:crypto';
import { ImageVersion, type ImageVersionProps } from '../../domain/images/image-version.entity';
import { PromoteImageCommand } from './commands/promote-image/promote-image.command';
import { PromoteImageHandler } from './commands/promote-image/promote-image.handler';
import { PublishImageCommand } from './commands/publish-image/publish-image.command';
import { PublishImageHandler } from './commands/publish-image/publish-image.handler';
import { RevokeImageCommand } from './commands/revoke-image/revoke-image.command';
import { RevokeImageHandler } from './commands/revoke-image/revoke-image.handler';
import type { ImageRegistryStore, ImageRegistryTransaction } from './ports/image-registry.store.port';
import type { PromotionDecision, PromotionGate } from './ports/promotion-gate.port';
import type { SignatureVerification, SignatureVerifier } from './ports/signature-verifier.port';

/** Fails on any call that was not stubbed. */
function strictMock<T extends object>(stubs: Partial<T>, name: string): T {
  return new Proxy(stubs, {
    get(target, property) {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      if (!(property in target)) throw new Error(`${name}.${property} was called but not stubbed`);
      return (target as Record<string, unknown>)[property];
    },
  }) as T;
}

const NOW = new Date('2025-11-22T12:00:00Z');
const clock = { now: () => NOW };
const actor = { kind: 'user' as const, id: 'u-1' };
const ORG = 'acme';
const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

const SBOM = JSON.stringify({
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'img',
  documentNamespace: 'https://sboms.example.com/img-1',
  creationInfo: { created: '2025-11-04T03:10:00Z', creators: ['Tool: syft'] },
  packages: [{ SPDXID: 'SPDXRef-image', name: 'img', versionInfo: '1', downloadLocation: 'NOASSERTION' }],
  documentDescribes: ['SPDXRef-image'],
});
const MANIFEST = JSON.stringify({
  family: 'ubuntu-22-04-base',
  version: '2025.11.04',
  os: { name: 'ubuntu', version: '22.04' },
  artifacts: [{ platform: 'aws', region: 'eu-west-1', imageRef: 'ami-0f1e2d3c4b5a69788' }],
  sbom: { format: 'spdx-2.3+json', uri: 's3://b/img.json', sha256: sha256(SBOM) },
  hardening: { profile: 'cis', level: 2, score: 95 },
  builtAt: '2025-11-04T03:10:00Z',
});

const unverified: SignatureVerification = {
  verified: false,
  keyId: null,
  identity: 'unsigned',
  issuer: 'none',
  failure: 'no signature bundle',
};
const verifierOf = (result: SignatureVerification) =>
  strictMock<SignatureVerifier>({ verify: () => Promise.resolve(result) }, 'verifier');

const decision = (overrides: Partial<PromotionDecision> = {}): PromotionDecision => ({
  decisionId: '2c4e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c',
  permitted: true,
  reasons: [],
  failedClosed: false,
  event: { decisionId: '2c4e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c' } as PromotionDecision['event'],
  ...overrides,
});

function version(id: string, overrides: Partial<ImageVersionProps> = {}): ImageVersion {
  return new ImageVersion({
    id,
    family: 'ubuntu-22-04-base',
    version: id,
    channel: 'dev',
    parent: null,
    digest: `sha256:${'a'.repeat(64)}`,
    os: { name: 'ubuntu', version: '22.04' },
    artifacts: [],
    contractRef: null,
    cis: { level: 2, score: 95 },
    slsaLevel: null,
    sbom: { uri: 's3://b', sha256: 'b'.repeat(64), packageCount: 1, contractCheck: null },
    signature: { ...unverified, verified: true, mode: 'warn', failure: null, checkedAt: NOW },
    builtAt: NOW,
    publishedAt: NOW,
    channels: [],
    revocations: [],
    ...overrides,
  });
}

function storeWith(tx: Partial<ImageRegistryTransaction>, extra: Partial<ImageRegistryStore> = {}) {
  const published: NewEvent[] = [];
  const transaction = strictMock<ImageRegistryTransaction>(
    { ...tx, publish: (...events: NewEvent[]) => void published.push(...events) },
    'tx',
  );
  const store = strictMock<ImageRegistryStore>(
    {
      // Every write is in the caller's organisation.
      transaction: (organisation, work) =>
        organisation === ORG
          ? work(transaction)
          : Promise.reject(new Error(`transaction in ${organisation}`)),
      ...extra,
    },
    'store',
  );
  return { store, published };
}

describe('PublishImageHandler', () => {
  it('in enforce mode refuses an unverified signature before any write, and stores the check', async () => {
    const checks: unknown[] = [];
    const store = strictMock<ImageRegistryStore>(
      {
        recordSignatureCheck: (organisation, c) => Promise.resolve(void checks.push({ organisation, ...c })),
      },
      'store',
    );
    const gate = strictMock<PromotionGate>({}, 'gate');
    const handler = new PublishImageHandler(store, verifierOf(unverified), gate, clock, {
      signatureMode: 'enforce',
    });
    await expect(
      handler.execute(new PublishImageCommand(ORG, MANIFEST, SBOM, undefined, actor)),
    ).rejects.toMatchObject({
      code: 'IMAGE.SIGNATURE_REJECTED',
      kind: 'invalid',
    });
    expect(checks).toEqual([
      expect.objectContaining({
        organisation: ORG,
        verified: false,
        mode: 'enforce',
        imageVersionId: null,
        purpose: 'publish',
      }),
    ]);
  });

  it('records the decision of a denied publication and registers nothing', async () => {
    const { store, published } = storeWith({
      lockFamily: () => Promise.resolve(),
      findByFamilyVersion: () => Promise.resolve(undefined),
    });
    const gate = strictMock<PromotionGate>(
      {
        evaluate: () =>
          decision({ permitted: false, reasons: ['CIS score 60 is below the 70 that dev requires'] }),
      },
      'gate',
    );
    const handler = new PublishImageHandler(store, verifierOf(unverified), gate, clock, {
      signatureMode: 'warn',
    });
    await expect(
      handler.execute(new PublishImageCommand(ORG, MANIFEST, SBOM, undefined, actor)),
    ).rejects.toMatchObject({
      code: 'IMAGE.PROMOTION_DENIED',
      kind: 'forbidden',
      metadata: { reasons: ['CIS score 60 is below the 70 that dev requires'] },
    });
    expect(published.map((e) => e.type)).toEqual(['io.resiliencefabric.policy.decided.v1']);
  });

  it('answers 503 when the gate failed closed', async () => {
    const { store } = storeWith({
      lockFamily: () => Promise.resolve(),
      findByFamilyVersion: () => Promise.resolve(undefined),
    });
    const gate = strictMock<PromotionGate>(
      {
        evaluate: () =>
          decision({ permitted: false, failedClosed: true, reasons: ['POLICY.BUNDLE_MISSING: no bundle'] }),
      },
      'gate',
    );
    const handler = new PublishImageHandler(store, verifierOf(unverified), gate, clock, {
      signatureMode: 'warn',
    });
    await expect(
      handler.execute(new PublishImageCommand(ORG, MANIFEST, SBOM, undefined, actor)),
    ).rejects.toMatchObject({
      code: 'IMAGE.POLICY_UNAVAILABLE',
      kind: 'unavailable',
    });
  });

  const CONTRACT = [
    'apiVersion: resiliencefabric.io/v1',
    'kind: ImageContract',
    'metadata: { family: ubuntu-22-04-base, revision: 3, owner: platform }',
    'spec:',
    '  packages:',
    '    required: [{ name: img, minVersion: "2" }, { name: auditd }]',
    '    forbidden: [telnetd]',
  ].join('\n');
  const withContract = (fields: Record<string, unknown>) =>
    JSON.stringify({ ...(JSON.parse(MANIFEST) as object), ...fields });

  it('checks the SBOM against the contract sent, stores the result and gives it to the gate', async () => {
    const inserted: unknown[] = [];
    const { store } = storeWith({
      lockFamily: () => Promise.resolve(),
      findByFamilyVersion: () => Promise.resolve(undefined),
      insertVersion: (v) => Promise.resolve(void inserted.push(v)),
      recordSignatureCheck: () => Promise.resolve(),
    });
    const inputs: unknown[] = [];
    const gate = strictMock<PromotionGate>({ evaluate: (input) => (inputs.push(input), decision()) }, 'gate');
    const handler = new PublishImageHandler(store, verifierOf(unverified), gate, clock, {
      signatureMode: 'warn',
    });
    const manifest = withContract({
      contractRef: 'contracts/images/image.contract.yaml@3',
      contractSha256: sha256(CONTRACT),
    });
    await handler.execute(new PublishImageCommand(ORG, manifest, SBOM, undefined, actor, CONTRACT));
    const contractCheck = {
      contractRef: 'contracts/images/image.contract.yaml@3',
      satisfied: false,
      missing: ['auditd'],
      mismatched: [{ name: 'img', required: '>=2', found: ['1'] }],
      forbiddenPresent: [],
    };
    expect(inserted).toMatchObject([{ sbom: { contractCheck } }]);
    expect(inputs).toMatchObject([
      { image: { sbom: { present: true, format: 'SPDX-2.3', contractSatisfied: false } } },
    ]);
  });

  it.each([
    [
      'another revision',
      { contractRef: 'contracts/images/image.contract.yaml@2' },
      'IMAGE.CONTRACT_MISMATCH',
    ],
    [
      'other bytes than signed',
      { contractRef: 'c@3', contractSha256: 'f'.repeat(64) },
      'IMAGE.CONTRACT_MISMATCH',
    ],
    ['no contractRef', {}, 'IMAGE.CONTRACT_MISMATCH'],
  ])('refuses a contract that is not the one the manifest names: %s', async (_, fields, code) => {
    const handler = new PublishImageHandler(
      strictMock<ImageRegistryStore>({}, 'store'),
      strictMock<SignatureVerifier>({}, 'verifier'),
      strictMock<PromotionGate>({}, 'gate'),
      clock,
      { signatureMode: 'warn' },
    );
    await expect(
      handler.execute(new PublishImageCommand(ORG, withContract(fields), SBOM, undefined, actor, CONTRACT)),
    ).rejects.toMatchObject({ code });
  });

  it('refuses a contract it cannot read', async () => {
    const handler = new PublishImageHandler(
      strictMock<ImageRegistryStore>({}, 'store'),
      strictMock<SignatureVerifier>({}, 'verifier'),
      strictMock<PromotionGate>({}, 'gate'),
      clock,
      { signatureMode: 'warn' },
    );
    const manifest = withContract({ contractRef: 'c@3' });
    await expect(
      handler.execute(
        new PublishImageCommand(ORG, manifest, SBOM, undefined, actor, 'kind: ImageContract\n'),
      ),
    ).rejects.toMatchObject({ code: 'IMAGE.CONTRACT_INVALID', kind: 'invalid' });
  });

  it('refuses an SBOM the manifest does not name, before verifying anything', async () => {
    const handler = new PublishImageHandler(
      strictMock<ImageRegistryStore>({}, 'store'),
      strictMock<SignatureVerifier>({}, 'verifier'),
      strictMock<PromotionGate>({}, 'gate'),
      clock,
      { signatureMode: 'warn' },
    );
    await expect(
      handler.execute(new PublishImageCommand(ORG, MANIFEST, `${SBOM}\n`, undefined, actor)),
    ).rejects.toMatchObject({ code: 'IMAGE.SBOM_DIGEST_MISMATCH' });
  });
});

describe('PromoteImageHandler', () => {
  it('names the version it supersedes in the target channel', async () => {
    const current = version('v-old', { channel: 'prod' });
    const candidate = version('v-new', { channel: 'staging' });
    const entered: unknown[] = [];
    const { store, published } = storeWith(
      {
        findVersion: () => Promise.resolve(candidate),
        lockFamily: () => Promise.resolve(),
        recordSignatureCheck: () => Promise.resolve(),
        latestInChannel: () => Promise.resolve(current),
        enterChannel: (...args) => Promise.resolve(void entered.push(args)),
      },
      {
        signatureBundle: (organisation) =>
          Promise.resolve(organisation === ORG ? { manifest: '{}', bundle: null } : undefined),
      },
    );
    const gate = strictMock<PromotionGate>({ evaluate: () => decision() }, 'gate');
    const handler = new PromoteImageHandler(
      store,
      verifierOf({ ...unverified, verified: true }),
      gate,
      clock,
      {
        signatureMode: 'enforce',
      },
    );
    const result = await handler.execute(new PromoteImageCommand(ORG, 'v-new', undefined, actor));
    expect(result).toMatchObject({ from: 'staging', to: 'prod', supersedes: 'v-old' });
    expect(entered).toEqual([['v-new', 'prod', NOW, decision().decisionId]]);
    expect(published[1]?.data).toMatchObject({
      toChannel: 'prod',
      supersedes: { imageVersionId: 'v-old', version: 'v-old' },
      policyDecisionId: decision().decisionId,
    });
  });

  it('refuses the second of two concurrent promotions without a target', async () => {
    const reads = [version('v-1', { channel: 'dev' }), version('v-1', { channel: 'staging' })];
    const { store } = storeWith(
      { findVersion: () => Promise.resolve(reads.shift()), lockFamily: () => Promise.resolve() },
      {
        signatureBundle: (organisation) =>
          Promise.resolve(organisation === ORG ? { manifest: '{}', bundle: null } : undefined),
      },
    );
    const handler = new PromoteImageHandler(
      store,
      verifierOf(unverified),
      strictMock<PromotionGate>({}, 'gate'),
      clock,
      {
        signatureMode: 'warn',
      },
    );
    await expect(
      handler.execute(new PromoteImageCommand(ORG, 'v-1', undefined, actor)),
    ).rejects.toMatchObject({
      code: 'IMAGE.CHANNEL_INVALID',
      message: expect.stringContaining('concurrently') as string,
    });
  });
});

describe('RevokeImageHandler', () => {
  it('refuses an effective time in the past', async () => {
    const handler = new RevokeImageHandler(strictMock<ImageRegistryStore>({}, 'store'), clock);
    const past = new Date(NOW.getTime() - 3_600_000);
    await expect(
      handler.execute(new RevokeImageCommand(ORG, 'v-1', 'defective', 'x', [], past, true, actor)),
    ).rejects.toMatchObject({ code: 'IMAGE.INVALID_REQUEST' });
  });

  it('revokes the descendants from the same time and lists them in one event', async () => {
    const root = version('root');
    const inserted: { imageVersionId: string; causeVersionId: string; effectiveAt: Date }[] = [];
    const { store, published } = storeWith({
      findVersion: () => Promise.resolve(root),
      lockFamily: () => Promise.resolve(),
      lineage: () =>
        Promise.resolve([
          { id: 'root', parentId: null },
          { id: 'child', parentId: 'root' },
          { id: 'grandchild', parentId: 'child' },
          { id: 'unrelated', parentId: null },
        ]),
      findVersions: (ids) => Promise.resolve(ids.map((id) => version(id))),
      insertRevocations: (rows) => Promise.resolve(void inserted.push(...rows)),
    });
    const later = new Date(NOW.getTime() + 86_400_000);
    const result = await new RevokeImageHandler(store, clock).execute(
      new RevokeImageCommand(ORG, 'root', 'vulnerability', 'CVE', ['CVE-2024-6387'], later, true, actor),
    );
    expect(result).toEqual({
      id: 'root',
      effectiveAt: later,
      scheduled: true,
      descendants: ['child', 'grandchild'],
    });
    expect(inserted.map((r) => [r.imageVersionId, r.causeVersionId, r.effectiveAt])).toEqual([
      ['root', 'root', later],
      ['child', 'root', later],
      ['grandchild', 'root', later],
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]?.data).toMatchObject({
      scheduled: true,
      inheritedByDescendants: true,
      descendants: [{ imageVersionId: 'child' }, { imageVersionId: 'grandchild' }],
    });
  });

  it('refuses to revoke a version already revoked by an ancestor', async () => {
    const revoked = version('child', {
      revocations: [
        {
          id: 'r',
          causeVersionId: 'root',
          reason: 'defective',
          detail: 'x',
          effectiveAt: NOW,
          revokedAt: NOW,
        },
      ],
    });
    const { store } = storeWith({
      findVersion: () => Promise.resolve(revoked),
      lockFamily: () => Promise.resolve(),
    });
    await expect(
      new RevokeImageHandler(store, clock).execute(
        new RevokeImageCommand(ORG, 'child', 'defective', 'x', [], undefined, true, actor),
      ),
    ).rejects.toMatchObject({ code: 'IMAGE.ALREADY_REVOKED', metadata: { causeVersionId: 'root' } });
  });
});
