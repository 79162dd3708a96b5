import {
  CreateImageCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { processEnvironment } from '@rf/platform-config';
import { tcpProbe, testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { textOf, VsphereSoapClient } from '@rf/platform-vsphere';
import { randomInt, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AssetDetailView,
  AssetPageView,
  AssetView,
  ConnectionTestView,
  ConnectorView,
  ScanView,
} from './api/inventory-response.views';
import { providerCallPolicy } from './infrastructure/connectors/provider-call/provider-call.policy';
import { ProviderCallRunner } from './infrastructure/connectors/provider-call/provider-call.runner';
import { classifyVsphereFailure } from './infrastructure/connectors/vsphere/vsphere-failure.classifier';
import { loadInventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

// moto and vcsim, started by `deploy/local/stack.sh up moto vcsim`: real AWS and vCenter API peers.
const env = processEnvironment();
const MOTO = env['RF_AWS_ENDPOINT'] ?? 'http://127.0.0.1:15000';
const VCSIM = env['RF_VCSIM_URL'] ?? 'http://127.0.0.1:18989';
const VCSIM_USERNAME = env['RF_VCSIM_USERNAME'] ?? 'user';
const VCSIM_PASSWORD = env['RF_VCSIM_PASSWORD'] ?? 'pass';
const ACCESS_KEY_ID = 'AKIARFINVENTORYTEST0';
const SECRET_ACCESS_KEY = 'moto-secret-7c1d9e';
const WRONG_PASSWORD = 'not-the-password-4b8e';
const REGION = 'us-east-1';

// The real policy bundle, enforced; the suite calls as an engineer forwarded by the gateway.
const policy = buildSignedPolicyBundle();
const config = loadInventoryConfig(
  testServiceEnvironment('inventory', {
    RF_POLICY_MODE: 'prod',
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
    RF_INVENTORY_SCHEDULER_ENABLED: 'false',
    RF_INVENTORY_SEED_SIMULATED_FLEET: 'false',
  }),
);

interface Problem {
  status: number;
  code: string;
  metadata?: { errors?: { field: string; message: string }[] };
}

interface Reply<T> {
  status: number;
  type: string;
  body: T;
  text: string;
}

interface AwsFleet {
  readonly account: string;
  readonly roleArn: string;
  readonly golden: string;
  readonly builder: string;
  readonly goldenInstances: readonly string[];
  readonly stopped: string;
}

/** A fresh moto account, reached through an assumed role: an AMI built from a public one and its instances. */
async function buildAwsFleet(): Promise<AwsFleet> {
  const account = String(randomInt(100_000_000_000, 999_999_999_999));
  const roleArn = `arn:aws:iam::${account}:role/rf-inventory-reader`;
  const base = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY };
  const sts = new STSClient({ region: REGION, endpoint: MOTO, credentials: base });
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rf-setup' }));
  sts.destroy();
  const ec2 = new EC2Client({
    region: REGION,
    endpoint: MOTO,
    credentials: {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    },
  });
  try {
    const launch = async (imageId: string, tags: Record<string, string>): Promise<string> => {
      const out = await ec2.send(
        new RunInstancesCommand({
          ImageId: imageId,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          TagSpecifications: [
            { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
      const id = out.Instances?.[0]?.InstanceId;
      if (!id) throw new Error('moto launched no instance');
      return id;
    };
    const publicImages = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const publicImage = publicImages.Images?.[0]?.ImageId;
    if (!publicImage) throw new Error('moto lists no public AMI');
    const builder = await launch(publicImage, { Name: 'image-builder' });
    const image = await ec2.send(
      new CreateImageCommand({ InstanceId: builder, Name: 'rhel9-golden-v1.4.2' }),
    );
    const golden = image.ImageId ?? '';
    const goldenInstances: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      goldenInstances.push(await launch(golden, { Environment: 'Production', Project: 'payments' }));
    }
    const stopped = goldenInstances[0] ?? '';
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped] }));
    return { account, roleArn, golden, builder, goldenInstances, stopped };
  } finally {
    ec2.destroy();
  }
}

/** The instance UUIDs of vcsim's VMs, read straight from its SOAP API. */
async function vcsimInstanceUuids(): Promise<string[]> {
  const signal = new AbortController().signal;
  const soap = new VsphereSoapClient(
    `${VCSIM}/sdk`,
    new ProviderCallRunner(providerCallPolicy({ callTimeoutMs: 10_000 }), classifyVsphereFailure),
  );
  await soap.login(VCSIM_USERNAME, VCSIM_PASSWORD, signal);
  try {
    const { rootFolder } = await soap.serviceContent(signal);
    const view = await soap.createContainerView(rootFolder, 'VirtualMachine', signal);
    const page = await soap.retrieveFromView(view, 'VirtualMachine', ['config.instanceUuid'], 1000, signal);
    await soap.destroyView(view, signal);
    return page.objects.map((vm) => textOf(vm.props.get('config.instanceUuid')) ?? '').sort();
  } finally {
    await soap.logout(signal);
  }
}

describe('the inventory service with cloud connectors', () => {
  jest.setTimeout(120_000);
  let app: INestApplication;
  let url: string;
  let secrets: string;
  let fleet: AwsFleet;
  const suffix = randomUUID().slice(0, 8);

  async function call<T>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(await forwardedPrincipalHeader('inventory', { role: 'engineer' })),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : undefined) as T,
      text,
    };
  }

  function invalidFields(reply: Reply<unknown>): string[] {
    expect({ status: reply.status, type: reply.type }).toEqual({
      status: 400,
      type: expect.stringContaining('application/problem+json') as unknown,
    });
    const problem = reply.body as Problem;
    expect(problem.code).toBe('INVENTORY.INVALID_CONNECTOR_SETTINGS');
    return (problem.metadata?.errors ?? []).map((e) => e.field).sort();
  }

  async function secretFile(name: string, value: string): Promise<string> {
    const path = join(secrets, name);
    await writeFile(path, `${value}\n`);
    return `file:${path}`;
  }

  async function create(body: object): Promise<ConnectorView> {
    const reply = await call<ConnectorView>('POST', '/api/v1/connectors', body);
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function scanned(connectorId: string): Promise<ScanView> {
    const started = await call<ScanView>('POST', `/api/v1/connectors/${connectorId}/scans`);
    expect(started.status).toBe(202);
    return waitFor(
      async () => {
        const reply = await call<ScanView>('GET', `/api/v1/scans/${started.body.id}`);
        return reply.body.status === 'running' ? undefined : reply.body;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: `scan of ${connectorId} finished` },
    );
  }

  async function assetsOf(connectorId: string, platform: string): Promise<AssetView[]> {
    const found: AssetView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page: Reply<AssetPageView> = await call<AssetPageView>(
        'GET',
        `/api/v1/assets?platform=${platform}&limit=1000${query}`,
      );
      expect(page.status).toBe(200);
      found.push(...page.body.items.filter((a) => a.connectorId === connectorId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    return found;
  }

  beforeAll(async () => {
    for (const [name, endpoint] of [
      ['moto', MOTO],
      ['vcsim', VCSIM],
    ] as const) {
      await tcpProbe(new URL(endpoint).host).catch((error: unknown) => {
        throw new Error(`${name} is not running at ${endpoint}: run \`deploy/local/stack.sh up ${name}\``, {
          cause: error,
        });
      });
    }
    fleet = await buildAwsFleet();
    secrets = await mkdtemp(join(tmpdir(), 'rf-inventory-cloud-secrets-'));
    const moduleRef = await Test.createTestingModule({
      imports: [InventoryModule.register(config)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await rm(secrets, { recursive: true, force: true });
    rmSync(policy.dir, { recursive: true, force: true });
  });

  describe('aws', () => {
    it('refuses bad settings and half an access key, listing each field', async () => {
      const bad = await call('POST', '/api/v1/connectors', {
        kind: 'aws',
        name: `aws-bad-${suffix}`,
        settings: { regions: ['mars-north-x'], pageSize: 2, credentialsRef: 'env:AWS_READER' },
      });
      expect(invalidFields(bad)).toEqual(['settings', 'settings.pageSize', 'settings.regions.0']);

      const half = await call('POST', '/api/v1/connectors', {
        kind: 'aws',
        name: `aws-half-${suffix}`,
        settings: { regions: [REGION] },
        credentials: { accessKeyId: 'env:AWS_ACCESS_KEY_ID' },
      });
      expect(invalidFields(half)).toEqual(['credentials.secretAccessKey']);

      const pasted = await call('POST', '/api/v1/connectors', {
        kind: 'aws',
        name: `aws-pasted-${suffix}`,
        settings: { regions: [REGION] },
        credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
      });
      expect(invalidFields(pasted)).toEqual(['credentials.accessKeyId', 'credentials.secretAccessKey']);
      expect(pasted.text).not.toContain(SECRET_ACCESS_KEY);
    });

    it('tests the connection, scans the account through the assumed role and serves its assets', async () => {
      const connector = await create({
        kind: 'aws',
        name: `aws-moto-${suffix}`,
        settings: { regions: [REGION], roleArn: fleet.roleArn, endpoint: MOTO, pageSize: 5 },
        credentials: {
          accessKeyId: await secretFile('aws-key-id', ACCESS_KEY_ID),
          secretAccessKey: await secretFile('aws-secret', SECRET_ACCESS_KEY),
        },
      });
      expect(connector.settings).toMatchObject({ roleSessionName: 'resilience-fabric-inventory' });

      const tested = await call<ConnectionTestView>('POST', `/api/v1/connectors/${connector.id}/test`);
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ connectorId: connector.id, ok: true });
      expect(tested.body.checks).toEqual([
        { target: 'sts', ok: true, detail: `account ${fleet.account}` },
        { target: REGION, ok: true, detail: 'EC2 reachable' },
      ]);
      expect(tested.text).not.toContain(SECRET_ACCESS_KEY);

      const scan = await scanned(connector.id);
      expect(scan).toMatchObject({ connectorKind: 'aws', status: 'succeeded', problems: [] });
      expect(scan.counts.discovered).toBe(4);

      const assets = await assetsOf(connector.id, 'aws');
      expect(assets.map((a) => a.instanceId).sort()).toEqual(
        [fleet.builder, ...fleet.goldenInstances].sort(),
      );
      expect(assets.every((a) => a.account === fleet.account && a.region === REGION)).toBe(true);
      const golden = assets.filter((a) => a.imageRef === fleet.golden);
      expect(golden).toHaveLength(3);
      for (const asset of golden) {
        expect(asset).toMatchObject({
          imageFamily: 'rhel9-golden',
          imageVersion: '1.4.2',
          environment: 'prod',
          project: 'payments',
          state: asset.instanceId === fleet.stopped ? 'stopped' : 'running',
        });
      }
      const detail = await call<AssetDetailView>('GET', `/api/v1/assets/${golden[0]?.id ?? ''}`);
      expect(detail.body.edges).toEqual(
        expect.arrayContaining([
          { kind: 'image', target: expect.stringContaining(fleet.golden) as unknown },
          { kind: 'account', target: expect.stringContaining(fleet.account) as unknown },
        ]),
      );
    });
  });

  describe('vsphere', () => {
    it('refuses bad settings and a pasted password, listing each field', async () => {
      const bad = await call('POST', '/api/v1/connectors', {
        kind: 'vsphere',
        name: `vsphere-bad-${suffix}`,
        settings: { vcenters: [{ name: 'vc 1', url: 'ftp://vc01', password: 'x' }], pageSize: 0 },
      });
      expect(invalidFields(bad)).toEqual([
        'settings.pageSize',
        'settings.vcenters.0',
        'settings.vcenters.0.name',
        'settings.vcenters.0.url',
        'settings.vcenters.0.username',
      ]);

      const pasted = await call('POST', '/api/v1/connectors', {
        kind: 'vsphere',
        name: `vsphere-pasted-${suffix}`,
        settings: { vcenters: [{ name: 'vc-1', url: VCSIM, username: VCSIM_USERNAME }] },
        credentials: { password: WRONG_PASSWORD },
      });
      expect(invalidFields(pasted)).toEqual(['credentials.password']);
      expect(pasted.text).not.toContain(WRONG_PASSWORD);
    });

    it('tests the connection, scans vcsim and serves its VMs', async () => {
      const vcenter = `vc-${suffix}`;
      const connector = await create({
        kind: 'vsphere',
        name: `vsphere-vcsim-${suffix}`,
        settings: { vcenters: [{ name: vcenter, url: VCSIM, username: VCSIM_USERNAME }], pageSize: 2 },
        credentials: { password: await secretFile('vc-password', VCSIM_PASSWORD) },
      });
      expect(connector.settings).toMatchObject({
        vcenters: [{ name: vcenter, passwordCredential: 'password' }],
      });

      const tested = await call<ConnectionTestView>('POST', `/api/v1/connectors/${connector.id}/test`);
      expect(tested.body).toMatchObject({ ok: true, detail: '1 vCenter(s) reachable' });
      expect(tested.body.checks.map((c) => [c.target, c.ok])).toEqual([[vcenter, true]]);

      const scan = await scanned(connector.id);
      expect(scan).toMatchObject({ connectorKind: 'vsphere', status: 'succeeded', problems: [] });

      const expected = await vcsimInstanceUuids();
      expect(expected.length).toBeGreaterThan(0);
      expect(scan.counts.discovered).toBe(expected.length);
      const assets = await assetsOf(connector.id, 'vsphere');
      expect(assets.map((a) => a.instanceId).sort()).toEqual(expected);
      expect(assets.every((a) => a.account === vcenter && a.region === 'DC0')).toBe(true);
    });

    it('reports a refused password in the connection test without revealing it', async () => {
      const connector = await create({
        kind: 'vsphere',
        name: `vsphere-locked-${suffix}`,
        settings: { vcenters: [{ name: 'vc-locked', url: VCSIM, username: VCSIM_USERNAME }] },
        credentials: { password: await secretFile('vc-wrong-password', WRONG_PASSWORD) },
      });
      const tested = await call<ConnectionTestView>('POST', `/api/v1/connectors/${connector.id}/test`);
      expect(tested.body).toMatchObject({ ok: false, detail: '1 of 1 vCenter(s) unreachable' });
      expect(tested.body.checks).toEqual([
        expect.objectContaining({ target: 'vc-locked', ok: false, code: 'INVENTORY.CONNECTOR_AUTH_FAILED' }),
      ]);
      expect(tested.text).not.toContain(WRONG_PASSWORD);
    });
  });
});
