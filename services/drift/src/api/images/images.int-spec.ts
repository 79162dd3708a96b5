import { type INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { processEnvironment } from '@rf/platform-config';
import { decodeWireFormat } from '@rf/platform-events';
import { KAFKA } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import type { Consumer, Kafka } from 'kafkajs';
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadDriftConfig } from '../../drift.config';
import { DriftModule } from '../../drift.module';
import type { ImageVersionView } from './image-response.views';

const BUILD = resolve(__dirname, '../../../../../contracts/policies/build.sh');
const RUN = randomBytes(3).toString('hex');
const family = (name: string) => `it-${RUN}-${name}`;
/** Engineers publish, promote and revoke; the suite calls as one, forwarded as the gateway would. */
const engineer = () => forwardedPrincipalHeader('drift', { role: 'engineer' });

interface Problem {
  status: number;
  code: string;
  detail: string;
  metadata?: { reasons?: string[]; decisionId?: string; problems?: string[] };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sbom(name: string, version: string, packages: [string, string][]): string {
  return JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://sboms.example.com/${name}/${version}-${RUN}`,
    creationInfo: { created: '2025-11-04T03:10:00Z', creators: ['Tool: syft-1.16.0'] },
    packages: [
      { SPDXID: 'SPDXRef-image', name, versionInfo: version, downloadLocation: 'NOASSERTION' },
      ...packages.map(([pkg, version], i) => ({
        SPDXID: `SPDXRef-p${i}`,
        name: pkg,
        versionInfo: version,
        downloadLocation: 'NOASSERTION',
        externalRefs: [
          {
            referenceCategory: 'PACKAGE-MANAGER',
            referenceType: 'purl',
            referenceLocator: `pkg:deb/ubuntu/${pkg}@${version}`,
          },
        ],
      })),
    ],
    relationships: [
      {
        spdxElementId: 'SPDXRef-DOCUMENT',
        relationshipType: 'DESCRIBES',
        relatedSpdxElement: 'SPDXRef-image',
      },
    ],
  });
}

interface Build {
  manifest: string;
  sbom: string;
  contract?: string;
}

function build(
  fam: string,
  version: string,
  options: {
    parent?: { family: string; version: string };
    cis?: [1 | 2, number];
    packages?: [string, string][];
    /** The contract's YAML, published with the version and pinned by the manifest. */
    contract?: string;
  } = {},
): Build {
  const document = sbom(
    fam,
    version,
    options.packages ?? [
      ['openssl', '3.0.2'],
      ['bash', '5.1'],
    ],
  );
  const [level, score] = options.cis ?? [2, 95];
  const manifest = JSON.stringify({
    family: fam,
    version,
    ...(options.parent ? { parent: options.parent } : {}),
    os: { name: 'ubuntu', version: '22.04' },
    contractRef: 'contracts/images/image.contract.yaml@1',
    ...(options.contract === undefined ? {} : { contractSha256: sha256(options.contract) }),
    artifacts: [
      {
        platform: 'aws',
        region: 'eu-west-1',
        imageRef: `ami-${randomBytes(9).toString('hex').slice(0, 17)}`,
      },
      {
        platform: 'gcp',
        imageRef: `projects/rf-images/global/images/${fam}-${version.replaceAll('.', '-')}`,
      },
      { platform: 'vsphere', region: 'LDN-DC1', imageRef: `${fam}-${version}` },
      { platform: 'simulated', imageRef: `sim:${fam}:${version}` },
    ],
    sbom: {
      format: 'spdx-2.3+json',
      uri: `s3://rf-sboms/${fam}/${version}.spdx.json`,
      sha256: sha256(document),
    },
    hardening: { profile: 'cis', level, score },
    provenance: { slsaLevel: 3, builderId: 'https://github.com/actions/runner' },
    builtAt: '2025-11-04T03:10:00Z',
  });
  return {
    manifest,
    sbom: document,
    ...(options.contract === undefined ? {} : { contract: options.contract }),
  };
}

/** A Sigstore bundle (v0.3, key mode, no transparency log) as `cosign sign-blob --bundle` writes. */
function bundleFor(payload: string, key: KeyObject, hint: string): Record<string, unknown> {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      publicKey: { hint },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    messageSignature: {
      messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
      signature: sign('sha256', Buffer.from(payload), key).toString('base64'),
    },
  };
}

describe('the golden-image registry', () => {
  jest.setTimeout(180_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let consumer: Consumer;
  const seen: { key: string; type: string; organisation: string | null; data: Record<string, unknown> }[] =
    [];
  const dir = mkdtempSync(join(tmpdir(), 'rf-images-'));
  const cosign = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rogue = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const savedEnv: Record<string, string | undefined> = {};

  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(await engineer()),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      text,
      json: () => JSON.parse(text) as unknown,
    };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const res = await request(method, path, body);
    if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.json() as T;
  };
  const problem = async (method: string, path: string, body: unknown, status: number): Promise<Problem> => {
    const res = await request(method, path, body);
    expect([path, res.status, res.type.split(';')[0]]).toEqual([path, status, 'application/problem+json']);
    return res.json() as Problem;
  };
  const publish = (b: Build, bundle?: Record<string, unknown>) =>
    ok<ImageVersionView>(
      'POST',
      '/api/v1/images',
      { ...b, ...(bundle ? { signatureBundle: bundle } : {}) },
      201,
    );
  const signed = (b: Build) => publish(b, bundleFor(b.manifest, cosign.privateKey, 'release-2025'));
  const promote = (id: string, to?: string) =>
    ok<{ promotion: { from: string; to: string; policyDecisionId: string; supersedes: string | null } }>(
      'POST',
      `/api/v1/images/${id}/promote`,
      to ? { to } : {},
    );

  beforeAll(async () => {
    const policyKey = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'policy.pem'), policyKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const bundlePath = join(dir, 'bundle.tar.gz');
    execFileSync(BUILD, ['--no-record', '--sign', join(dir, 'policy.pem'), bundlePath], { stdio: 'pipe' });
    const keysFile = join(dir, 'trusted-keys.json');
    writeFileSync(
      keysFile,
      JSON.stringify({
        keys: [
          { keyId: 'release-2025', publicKey: cosign.publicKey.export({ type: 'spki', format: 'pem' }) },
        ],
      }),
    );
    const env = testServiceEnvironment('drift', {
      RF_POLICY_MODE: 'prod',
      RF_POLICY_BUNDLE: bundlePath,
      RF_POLICY_PUBLIC_KEY: policyKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      RF_IMAGES_SIGNATURE_MODE: 'warn',
      RF_IMAGES_TRUSTED_KEYS_FILE: keysFile,
    });
    // The registry reads its settings from the process environment, as it does in production;
    // the previous values come back after the suite.
    const processEnv = processEnvironment() as Record<string, string | undefined>;
    for (const key of Object.keys(env)) savedEnv[key] = processEnv[key];
    Object.assign(processEnv, env);
    const config = loadDriftConfig(env);
    const moduleRef = await Test.createTestingModule({ imports: [DriftModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    consumer = app.get<Kafka>(KAFKA).consumer({ groupId: `rf-images-it-${RUN}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'rf.drift.image.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const key = message.key?.toString() ?? '';
        if (key.startsWith(`it-${RUN}-`)) {
          const type = message.headers?.['ce_type']?.toString() ?? '';
          const organisation = message.headers?.['ce_organisation']?.toString() ?? null;
          seen.push({
            key,
            type,
            organisation,
            data: decodeWireFormat(message.value).data as Record<string, unknown>,
          });
        }
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    await consumer.disconnect();
    await app.close();
    const processEnv = processEnvironment() as Record<string, string | undefined>;
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) Reflect.deleteProperty(processEnv, key);
      else processEnv[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const ids: Record<string, string> = {};

  it('refuses callers without a forwarded principal, and viewers anything but reading', async () => {
    const anonymous = await fetch(`${url}/api/v1/images`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH.CREDENTIALS_MISSING' });
    const viewer = await forwardedPrincipalHeader('drift', { role: 'viewer' });
    expect((await fetch(`${url}/api/v1/images`, { headers: viewer })).status).toBe(200);
    const promote = await fetch(`${url}/api/v1/images/00000000-0000-4000-8000-000000000000/promote`, {
      method: 'POST',
      headers: { ...viewer, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(promote.status).toBe(403);
    expect(await promote.json()).toMatchObject({ code: 'AUTH.POLICY_DENIED' });
  });

  it('publishes a signed version into dev with its platform refs, SBOM and verified signature', async () => {
    const base = await signed(build(family('base'), '2025.11.04'));
    ids['base'] = base.id;
    expect(base).toMatchObject({
      family: family('base'),
      version: '2025.11.04',
      channel: 'dev',
      parent: null,
      hardening: { level: 2, score: 95 },
      sbom: { format: 'spdx-2.3+json', packageCount: 3 },
      signature: { verified: true, mode: 'warn', keyId: 'release-2025', issuer: 'key', failure: null },
      revoked: false,
      compliant: true,
    });
    expect(base.artifacts.map((a) => a.platform)).toEqual(['aws', 'gcp', 'vsphere', 'simulated']);
    expect(base.channels).toEqual([expect.objectContaining({ channel: 'dev' }) as unknown]);

    const child = await signed(
      build(family('web'), '1.0.0', { parent: { family: family('base'), version: '2025.11.04' } }),
    );
    ids['web'] = child.id;
    expect(child.parent).toEqual({ id: base.id, family: family('base'), version: '2025.11.04' });
    const grandchild = await signed(
      build(family('web-tuned'), '1.0.0', { parent: { family: family('web'), version: '1.0.0' } }),
    );
    ids['web-tuned'] = grandchild.id;

    const [checks] = await db.query<[{ n: string }]>(
      `SELECT count(*) AS n FROM image_signature_checks WHERE image_version_id = $1 AND verified`,
      [base.id],
    );
    expect(Number(checks.n)).toBe(1);
  });

  it('in warn mode stores a failed signature check, and the policy then keeps the version out of staging', async () => {
    const tampered = build(family('tampered'), '1.0.0');
    const forged = await publish(
      tampered,
      bundleFor(`${tampered.manifest} `, cosign.privateKey, 'release-2025'),
    );
    expect(forged.signature).toMatchObject({ verified: false, failure: 'signature verification failed' });
    const wrongKey = build(family('tampered'), '1.0.1');
    const untrusted = await publish(wrongKey, bundleFor(wrongKey.manifest, rogue.privateKey, 'release-2025'));
    expect(untrusted.signature.verified).toBe(false);
    const unsigned = await publish(build(family('unsigned'), '1.0.0'));
    expect(unsigned).toMatchObject({
      compliant: false,
      signature: { verified: false, identity: 'unsigned', failure: 'no signature bundle' },
    });

    const denied = await problem('POST', `/api/v1/images/${unsigned.id}/promote`, {}, 403);
    expect(denied.code).toBe('IMAGE.PROMOTION_DENIED');
    expect(denied.metadata?.reasons).toEqual([
      'image signature is not verified; staging requires a verified signature',
    ]);
    const [decision] = await db.query<{ data: { result: string; enforced: boolean; policy: string } }[]>(
      `SELECT data FROM outbox WHERE event_id = $1`,
      [denied.metadata?.decisionId],
    );
    expect(decision?.data).toMatchObject({ result: 'deny', enforced: true, policy: 'rf.image_promotion' });
    const after = await ok<ImageVersionView>('GET', `/api/v1/images/${unsigned.id}`);
    expect(after.channel).toBe('dev');
  });

  it('promotes one channel at a time through the real policy, and enforces the CIS level of prod', async () => {
    const toStaging = await promote(ids['base']!);
    expect(toStaging.promotion).toMatchObject({ from: 'dev', to: 'staging', supersedes: null });
    await problem('POST', `/api/v1/images/${ids['web']!}/promote`, { to: 'prod' }, 409);
    const toProd = await promote(ids['base']!, 'prod');
    expect(toProd.promotion).toMatchObject({ from: 'staging', to: 'prod' });
    expect((await problem('POST', `/api/v1/images/${ids['base']!}/promote`, {}, 409)).code).toBe(
      'IMAGE.CHANNEL_INVALID',
    );

    const level1 = await signed(
      build(family('base'), '2025.11.18', {
        cis: [1, 93],
        packages: [
          ['openssl', '3.0.13'],
          ['auditd', '3.0'],
        ],
      }),
    );
    ids['base-next'] = level1.id;
    await promote(level1.id);
    const cis = await problem('POST', `/api/v1/images/${level1.id}/promote`, {}, 403);
    expect(cis.metadata?.reasons).toEqual(['CIS level 1 is below the level 2 that prod requires']);

    const fixed = await signed(
      build(family('base'), '2025.11.20', {
        packages: [
          ['openssl', '3.0.13'],
          ['bash', '5.2'],
        ],
      }),
    );
    await promote(fixed.id);
    const replaced = await promote(fixed.id);
    expect(replaced.promotion.supersedes).toBe(ids['base']);
    const prod = await ok<{ items: ImageVersionView[] }>(
      'GET',
      `/api/v1/images?family=${family('base')}&channel=prod`,
    );
    expect(prod.items.map((i) => i.version)).toEqual(['2025.11.20', '2025.11.04']);
    ids['base-fixed'] = fixed.id;
  });

  it('checks the SBOM against the published contract, and keeps an unmet contract out of prod', async () => {
    const fam = family('contracted');
    const contract = [
      'apiVersion: resiliencefabric.io/v1',
      'kind: ImageContract',
      'metadata:',
      `  family: ${fam}`,
      '  revision: 1',
      '  owner: platform',
      'spec:',
      '  packages:',
      '    required:',
      '      - name: openssl',
      '        minVersion: 3.0.13',
      '      - name: auditd',
      '    forbidden: [telnetd]',
    ].join('\n');
    const unmet = await signed(
      build(fam, '2025.11.04', {
        contract,
        packages: [
          ['openssl', '3.0.2'],
          ['telnetd', '0.17'],
        ],
      }),
    );
    expect(unmet.sbom.contractCheck).toEqual({
      contractRef: 'contracts/images/image.contract.yaml@1',
      satisfied: false,
      missing: ['auditd'],
      mismatched: [{ name: 'openssl', required: '>=3.0.13', found: ['3.0.2'] }],
      forbiddenPresent: ['telnetd'],
    });
    // Stored: the same check is read back.
    const stored = await ok<ImageVersionView>('GET', `/api/v1/images/${unmet.id}`);
    expect(stored.sbom.contractCheck).toEqual(unmet.sbom.contractCheck);
    await promote(unmet.id);
    const denied = await problem('POST', `/api/v1/images/${unmet.id}/promote`, {}, 403);
    expect(denied.metadata?.reasons).toEqual([
      "the SBOM does not satisfy the image contract's packages; prod requires it to",
    ]);

    const met = await signed(
      build(fam, '2025.11.05', {
        contract,
        packages: [
          ['openssl', '3.0.13'],
          ['auditd', '1:3.0.7'],
        ],
      }),
    );
    expect(met.sbom.contractCheck).toMatchObject({ satisfied: true, missing: [], mismatched: [] });
    await promote(met.id);
    expect((await promote(met.id)).promotion).toMatchObject({ from: 'staging', to: 'prod' });

    // The contract must be the one the signed manifest pins.
    const other = build(fam, '2025.11.06', { contract });
    const swapped = await problem(
      'POST',
      '/api/v1/images',
      { ...other, contract: contract.replace('minVersion: 3.0.13', 'minVersion: 1.0.0') },
      400,
    );
    expect(swapped.code).toBe('IMAGE.CONTRACT_MISMATCH');
  });

  it('promotes a version once when two promotions race', async () => {
    const racer = await signed(build(family('racer'), '1.0.0'));
    const statuses = await Promise.all(
      [1, 2].map(
        async () => (await request('POST', `/api/v1/images/${racer.id}/promote`, { to: 'staging' })).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 409]);
    expect((await ok<ImageVersionView>('GET', `/api/v1/images/${racer.id}`)).channel).toBe('staging');
  });

  it('rolls prod back to the version it held before, and forward again', async () => {
    expect((await problem('POST', `/api/v1/images/${ids['base-fixed']!}/rollback`, {}, 409)).code).toBe(
      'IMAGE.CHANNEL_INVALID',
    );
    const back = await ok<{ rollback: { channel: string; supersedes: string }; image: ImageVersionView }>(
      'POST',
      `/api/v1/images/${ids['base']!}/rollback`,
      {},
    );
    expect(back.rollback).toMatchObject({ channel: 'prod', supersedes: ids['base-fixed'] });
    expect(back.image.channels.map((c) => [c.channel, c.rollback])).toEqual([
      ['dev', false],
      ['staging', false],
      ['prod', false],
      ['prod', true],
    ]);
    const forward = await ok<{ rollback: { supersedes: string } }>(
      'POST',
      `/api/v1/images/${ids['base-fixed']!}/rollback`,
      {},
    );
    expect(forward.rollback.supersedes).toBe(ids['base']);
  });

  it('serves SBOMs byte for byte and diffs them between versions', async () => {
    const res = await request('GET', `/api/v1/images/${ids['base-next']!}/sbom`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/spdx\+json/);
    const version = await ok<ImageVersionView>('GET', `/api/v1/images/${ids['base-next']!}`);
    expect(sha256(res.text)).toBe(version.sbom.sha256);

    const diff = await ok<Record<string, unknown>>(
      'GET',
      `/api/v1/images/${ids['base-next']!}/sbom/diff?against=${ids['base']!}`,
    );
    expect(diff).toEqual({
      imageVersionId: ids['base-next'],
      againstId: ids['base'],
      added: [{ name: 'auditd', purl: 'pkg:deb/ubuntu/auditd', versions: ['3.0'] }],
      removed: [{ name: 'bash', purl: 'pkg:deb/ubuntu/bash', versions: ['5.1'] }],
      changed: [
        { name: family('base'), purl: null, from: ['2025.11.04'], to: ['2025.11.18'] },
        { name: 'openssl', purl: 'pkg:deb/ubuntu/openssl', from: ['3.0.2'], to: ['3.0.13'] },
      ],
      unchanged: 0,
    });
  });

  it('revokes a version with its descendants; revoked versions are never compliant nor promotable', async () => {
    const { revocation } = await ok<{ revocation: { scheduled: boolean; descendants: string[] } }>(
      'POST',
      `/api/v1/images/${ids['base']!}/revoke`,
      { reason: 'vulnerability', detail: 'OpenSSH regression', cveIds: ['CVE-2024-6387'] },
    );
    expect(revocation.scheduled).toBe(false);
    expect(revocation.descendants).toEqual([ids['web'], ids['web-tuned']]);
    for (const id of [ids['base']!, ids['web']!, ids['web-tuned']!]) {
      const v = await ok<ImageVersionView>('GET', `/api/v1/images/${id}`);
      expect([id, v.revoked, v.compliant]).toEqual([id, true, false]);
    }
    const child = await ok<ImageVersionView>('GET', `/api/v1/images/${ids['web-tuned']!}`);
    expect(child.revocations).toEqual([
      expect.objectContaining({ causeVersionId: ids['base'], inherited: true }) as unknown,
    ]);
    expect((await problem('POST', `/api/v1/images/${ids['web']!}/promote`, {}, 409)).code).toBe(
      'IMAGE.REVOKED',
    );
    expect((await problem('POST', `/api/v1/images/${ids['base']!}/rollback`, {}, 409)).code).toBe(
      'IMAGE.REVOKED',
    );
    expect(
      (
        await problem(
          'POST',
          `/api/v1/images/${ids['web']!}/revoke`,
          { reason: 'defective', detail: 'again' },
          409,
        )
      ).code,
    ).toBe('IMAGE.ALREADY_REVOKED');
    const revoked = await ok<{ items: ImageVersionView[] }>(
      'GET',
      `/api/v1/images?family=${family('web')}&revoked=true`,
    );
    expect(revoked.items.map((i) => i.id)).toEqual([ids['web']]);
    expect(
      (
        await problem(
          'POST',
          '/api/v1/images',
          build(family('orphan'), '1', { parent: { family: family('base'), version: '2025.11.04' } }),
          409,
        )
      ).code,
    ).toBe('IMAGE.PARENT_REVOKED');
  });

  it('schedules a revocation for later without revoking now', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const { revocation } = await ok<{ revocation: { scheduled: boolean; effectiveAt: string } }>(
      'POST',
      `/api/v1/images/${ids['base-next']!}/revoke`,
      {
        reason: 'superseded',
        detail: 'retire after the next rollout',
        effectiveAt: at,
        inheritedByDescendants: false,
      },
    );
    expect(revocation).toEqual({ scheduled: true, effectiveAt: at, id: ids['base-next'], descendants: [] });
    const v = await ok<ImageVersionView>('GET', `/api/v1/images/${ids['base-next']!}`);
    expect(v).toMatchObject({ revoked: false, revocations: [{ inForce: false, effectiveAt: at }] });
  });

  it('publishes image.published, image.promoted and image.revoked to Kafka through the outbox', async () => {
    const events = await waitFor(
      () => {
        const types = seen.map((e) => e.type);
        const done =
          types.filter((t) => t.endsWith('image.revoked.v1')).length >= 2 &&
          types.filter((t) => t.endsWith('image.promoted.v1')).length >= 7;
        return Promise.resolve(done ? seen : undefined);
      },
      { timeoutMs: 60_000, description: 'image events on rf.drift.image.v1' },
    );
    const published = events.find(
      (e) => e.type.endsWith('image.published.v1') && e.data['imageVersionId'] === ids['web'],
    );
    expect(published?.key).toBe(family('web'));
    expect(published?.data).toMatchObject({
      channel: 'dev',
      parent: { family: family('base'), version: '2025.11.04', imageVersionId: ids['base'] },
      signature: { verified: true, identity: 'release-2025', issuer: 'key' },
    });
    const promotedToProd = events.filter(
      (e) =>
        e.type.endsWith('image.promoted.v1') &&
        e.data['toChannel'] === 'prod' &&
        e.data['family'] === family('base'),
    );
    const base = (id: string, version: string) => ({ family: family('base'), version, imageVersionId: id });
    expect(
      promotedToProd.map((e) => [
        e.data['imageVersionId'],
        e.data['supersedes'] ?? null,
        e.data['rollback'] ?? false,
      ]),
    ).toEqual([
      [ids['base'], null, false],
      [ids['base-fixed'], base(ids['base']!, '2025.11.04'), false],
      [ids['base'], base(ids['base-fixed']!, '2025.11.20'), true],
      [ids['base-fixed'], base(ids['base']!, '2025.11.04'), true],
    ]);
    const revoked = events.find(
      (e) => e.type.endsWith('image.revoked.v1') && e.data['imageVersionId'] === ids['base'],
    );
    expect(revoked?.data).toMatchObject({
      reason: 'vulnerability',
      scheduled: false,
      inheritedByDescendants: true,
      cveIds: ['CVE-2024-6387'],
      descendants: [
        { family: family('web'), version: '1.0.0', imageVersionId: ids['web'] },
        { family: family('web-tuned'), version: '1.0.0', imageVersionId: ids['web-tuned'] },
      ],
    });
  });

  it('pages through versions with a cursor', async () => {
    const first = await ok<{ items: ImageVersionView[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/images?family=${family('base')}&limit=2`,
    );
    expect(first.items.map((i) => i.version)).toEqual(['2025.11.20', '2025.11.18']);
    const second = await ok<{ items: ImageVersionView[]; nextCursor: string | null }>(
      'GET',
      `/api/v1/images?family=${family('base')}&limit=2&cursor=${first.nextCursor ?? ''}`,
    );
    expect(second).toMatchObject({ items: [{ version: '2025.11.04' }], nextCursor: null });
    const aws = await ok<{ items: ImageVersionView[] }>(
      'GET',
      `/api/v1/images?family=${family('base')}&platform=azure`,
    );
    expect(aws.items).toEqual([]);
  });

  it('accepts a multi-megabyte SBOM through the publication media type', async () => {
    const packages = Array.from({ length: 12_000 }, (_, i): [string, string] => [`lib-${i}`, `1.${i}.0`]);
    const big = build(family('big'), '1.0.0', { packages });
    expect(big.sbom.length).toBeGreaterThan(2_000_000);
    const small = await request('POST', '/api/v1/images', big);
    expect(small.status).toBe(413);
    const res = await fetch(`${url}/api/v1/images`, {
      method: 'POST',
      headers: {
        ...(await engineer()),
        'content-type': 'application/vnd.resiliencefabric.image-publication+json',
      },
      body: JSON.stringify({
        ...big,
        signatureBundle: bundleFor(big.manifest, cosign.privateKey, 'release-2025'),
      }),
    });
    expect(res.status).toBe(201);
    const published = (await res.json()) as ImageVersionView;
    expect(published.sbom.packageCount).toBe(12_001);
    const sbomText = await (
      await fetch(`${url}/api/v1/images/${published.id}/sbom`, { headers: await engineer() })
    ).text();
    expect(sha256(sbomText)).toBe(published.sbom.sha256);
  });

  it('answers bad input with problem+json', async () => {
    const b = build(family('bad'), '1.0.0');
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/api/v1/images/not-a-uuid', undefined, 400, 'IMAGE.INVALID_REQUEST'],
      ['GET', '/api/v1/images/00000000-0000-4000-8000-000000000000', undefined, 404, 'IMAGE.NOT_FOUND'],
      ['GET', '/api/v1/images?limit=0', undefined, 400, 'IMAGE.INVALID_REQUEST'],
      ['GET', '/api/v1/images?cursor=nonsense', undefined, 400, 'IMAGE.INVALID_REQUEST'],
      ['GET', '/api/v1/images?colour=red', undefined, 400, 'IMAGE.INVALID_REQUEST'],
      ['GET', `/api/v1/images/${ids['base']!}/sbom/diff`, undefined, 400, 'IMAGE.INVALID_REQUEST'],
      ['POST', '/api/v1/images', { ...b, manifest: '{"family":"x"}' }, 400, 'IMAGE.MANIFEST_INVALID'],
      ['POST', '/api/v1/images', { ...b, sbom: `${b.sbom} ` }, 400, 'IMAGE.SBOM_DIGEST_MISMATCH'],
      ['POST', '/api/v1/images', build(family('base'), '2025.11.04'), 409, 'IMAGE.VERSION_EXISTS'],
      [
        'POST',
        '/api/v1/images',
        build(family('x'), '1', { parent: { family: 'nope', version: '1' } }),
        400,
        'IMAGE.PARENT_NOT_FOUND',
      ],
      [
        'POST',
        `/api/v1/images/${ids['base-next']!}/revoke`,
        { reason: 'bored', detail: 'x' },
        400,
        'IMAGE.INVALID_REQUEST',
      ],
    ];
    for (const [method, path, body, status, code] of cases) {
      const p = await problem(method, path, body, status);
      expect([method, path, p.code]).toEqual([method, path, code]);
    }
    const invalidSbom = sbom('x', '1', []).replace('SPDX-2.3', 'SPDX-2.2');
    const manifest = JSON.parse(b.manifest) as Record<string, Record<string, string>>;
    manifest['sbom']!['sha256'] = sha256(invalidSbom);
    const spdx = await problem(
      'POST',
      '/api/v1/images',
      { manifest: JSON.stringify(manifest), sbom: invalidSbom },
      400,
    );
    expect(spdx).toMatchObject({
      code: 'IMAGE.SBOM_INVALID',
      metadata: { problems: ['spdxVersion must be "SPDX-2.3"'] },
    });
  });

  it("keeps each organisation's registry to itself: family names per organisation, 404 across, events in their organisation", async () => {
    const globex = await forwardedPrincipalHeader('drift', { role: 'engineer', org: 'globex' });
    const asGlobex = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...globex, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        body: JSON.parse(text) as unknown,
      };
    };
    // The family and version acme holds are free in globex: names are unique per organisation.
    const b = build(family('base'), '2025.11.04');
    const published = await asGlobex('POST', '/api/v1/images', {
      ...b,
      signatureBundle: bundleFor(b.manifest, cosign.privateKey, 'release-2025'),
    });
    expect(published.status).toBe(201);
    const theirs = published.body as ImageVersionView;
    expect(theirs).toMatchObject({ family: family('base'), version: '2025.11.04', channel: 'dev' });
    expect(theirs.id).not.toBe(ids['base']);
    expect((await asGlobex('POST', '/api/v1/images', b)).status).toBe(409);

    // Lists only ever hold the caller's organisation.
    const listOf = (items: unknown) => (items as { items: ImageVersionView[] }).items.map((v) => v.id);
    const globexList = listOf((await asGlobex('GET', `/api/v1/images?family=${family('base')}`)).body);
    expect(globexList).toEqual([theirs.id]);
    const acmeList = listOf(await ok('GET', `/api/v1/images?family=${family('base')}&limit=100`));
    expect(acmeList).toContain(ids['base']);
    expect(acmeList).not.toContain(theirs.id);
    expect(listOf(await ok('GET', '/api/v1/images?limit=100'))).not.toContain(theirs.id);

    // Every route by id answers another organisation's version exactly as a missing one, and logs it.
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const missing = '00000000-0000-4000-8000-000000000000';
    const routes = (id: string, other: string): [string, string, unknown][] => [
      ['GET', `/api/v1/images/${id}`, undefined],
      ['GET', `/api/v1/images/${id}/sbom`, undefined],
      ['GET', `/api/v1/images/${id}/sbom/diff?against=${other}`, undefined],
      ['POST', `/api/v1/images/${id}/promote`, {}],
      ['POST', `/api/v1/images/${id}/rollback`, {}],
      ['POST', `/api/v1/images/${id}/revoke`, { reason: 'defective', detail: 'cross-tenant attempt' }],
    ];
    const shape = (r: { status: number; type: string; body: unknown }, id: string) => {
      const p = r.body as Problem;
      return [r.status, r.type.split(';')[0], p.code, p.detail.replace(id, '<id>')];
    };
    for (const [method, path, body] of routes(ids['base']!, theirs.id)) {
      const foreign = await asGlobex(method, path, body);
      const absent = await asGlobex(method, path.replace(ids['base']!, missing), body);
      expect([method, path, ...shape(foreign, ids['base']!)]).toEqual([
        method,
        path,
        ...shape(absent, missing),
      ]);
      expect([method, path, foreign.status]).toEqual([method, path, 404]);
    }
    const logged = warnings.mock.calls.filter(
      ([entry]) =>
        (entry as { event?: string; ids?: Record<string, string> }).event === 'tenancy.record_not_found' &&
        (entry as { ids: Record<string, string> }).ids['id'] === ids['base'],
    );
    expect(logged).toHaveLength(routes(ids['base']!, theirs.id).length);
    expect(logged[0]?.[0]).toMatchObject({
      principalOrg: 'globex',
      code: 'IMAGE.NOT_FOUND',
      ids: { id: ids['base'] },
    });
    warnings.mockRestore();
    // A diff against another organisation's version is not found either, from either side.
    expect(
      (await asGlobex('GET', `/api/v1/images/${theirs.id}/sbom/diff?against=${ids['base']!}`)).status,
    ).toBe(404);
    const acmeDiff = await request('GET', `/api/v1/images/${ids['base']!}/sbom/diff?against=${theirs.id}`);
    expect(acmeDiff.status).toBe(404);
    // globex reaches its own version by id; acme does not.
    expect((await asGlobex('GET', `/api/v1/images/${theirs.id}`)).status).toBe(200);
    expect((await request('GET', `/api/v1/images/${theirs.id}`)).status).toBe(404);
    expect(
      (await request('POST', `/api/v1/images/${theirs.id}/revoke`, { reason: 'defective', detail: 'x' }))
        .status,
    ).toBe(404);
    // Nothing was revoked by the refused attempts.
    const [revocations] = await db.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM image_revocations WHERE image_version_id = $1 AND detail = 'cross-tenant attempt'`,
      [ids['base']],
    );
    expect(revocations.n).toBe(0);

    // The rows and the events carry their organisation.
    const rows = await db.query<{ id: string; organisation: string }[]>(
      `SELECT id, organisation FROM image_versions WHERE id = ANY($1::uuid[]) ORDER BY organisation`,
      [[ids['base'], theirs.id]],
    );
    expect(rows).toEqual([
      { id: ids['base'], organisation: 'acme' },
      { id: theirs.id, organisation: 'globex' },
    ]);
    const events = await waitFor(
      () => {
        const mine = seen.filter(
          (e) =>
            e.type.endsWith('image.published.v1') &&
            [ids['base'], theirs.id].includes(e.data['imageVersionId'] as string),
        );
        return Promise.resolve(mine.length === 2 ? mine : undefined);
      },
      { timeoutMs: 60_000, description: 'both publications on rf.drift.image.v1' },
    );
    expect(Object.fromEntries(events.map((e) => [e.data['imageVersionId'], e.organisation]))).toEqual({
      [ids['base']!]: 'acme',
      [theirs.id]: 'globex',
    });
    expect(seen.filter((e) => e.type.endsWith('image.revoked.v1')).map((e) => e.organisation)).not.toContain(
      'globex',
    );
  });
});
