import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { decodeWireFormat, fromKafkaHeaders } from '@rf/platform-events';
import { KAFKA } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type {
  AssetDetailView,
  AssetPageView,
  ConnectionTestView,
  ConnectorPageView,
  ConnectorView,
  ScanPageView,
  ScanView,
} from './api/inventory-response.views';
import { defineConnectorKind } from './application/connectors/connector-kind.definition';
import { ConnectorKindRegistry } from './application/connectors/connector-kind.registry';
import { ASSET_DISCOVERED, SCAN_COMPLETED } from './application/events/inventory-events';
import { CONNECTOR_KINDS } from './application/inventory.tokens';
import type { Connector } from './application/ports/connector.port';
import { CONNECTOR_KINDS as BUILT_IN_KINDS } from './infrastructure/connectors/connector-kinds';
import { PostgresConnectorConfigurationRepository } from './infrastructure/persistence/postgres-connector-configuration.repository';
import { PostgresScanLock } from './infrastructure/persistence/postgres-scan.lock';
import { SEEDED_SIMULATED_CONNECTOR_ID } from './infrastructure/seeding/simulated-fleet.seeder';
import { loadInventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

// The real policy bundle, enforced: every call carries a principal forwarded as the gateway would.
const policy = buildSignedPolicyBundle();
const withPolicy = (overrides: Record<string, string>) =>
  testServiceEnvironment('inventory', {
    RF_POLICY_MODE: 'prod',
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
    ...overrides,
  });
/** Engineers manage connectors and run scans; the suite acts as one of `acme` unless it says otherwise. */
const engineer = (org = 'acme') => forwardedPrincipalHeader('inventory', { role: 'engineer', org });

const config = loadInventoryConfig(
  withPolicy({
    RF_INVENTORY_SCHEDULER_TICK_MS: '200',
    RF_INVENTORY_SEED_SIMULATED_FLEET: 'false',
    RF_INVENTORY_SCAN_CHUNK_SIZE: '500',
  }),
);

const ASSET_TOPIC = 'rf.inventory.asset.v1';
const SCAN_TOPIC = 'rf.inventory.scan.v1';
const OPEN_SESAME = 'open-sesame-0f9e8d7c';

/**
 * A kind with a required credential, to prove references are resolved only when a connector is built:
 * its connection test passes only with the right secret, and it lists a handful of assets.
 */
const GUARDED_KIND = defineConnectorKind({
  kind: 'guarded',
  description: 'test kind that needs a token',
  platform: 'aws',
  settings: z.strictObject({ assets: z.number().int().min(0).max(100) }),
  requiredCredentials: ['token'],
  optionalCredentials: [],
  create: ({ id, settings, credentials }): Connector => ({
    id,
    kind: 'aws',
    testConnection: (signal) => {
      signal.throwIfAborted();
      const ok = credentials.reveal('token') === OPEN_SESAME;
      return Promise.resolve({ ok, detail: ok ? 'authorised' : 'the provider refused the token' });
    },
    async *pages() {
      await Promise.resolve();
      yield {
        records: Array.from({ length: settings.assets }, (_, i) => ({
          platform: 'aws',
          account: '210987654321',
          region: 'eu-west-1',
          instanceId: `i-guarded-${id.slice(0, 8)}-${i}`,
          state: 'running',
        })),
      };
    },
  }),
});

async function resetDatabase(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}

interface Problem {
  status: number;
  code: string;
  detail?: string;
  metadata?: { errors?: { field: string; message: string }[] };
}

interface Reply<T> {
  status: number;
  type: string;
  location: string | null;
  body: T;
  text: string;
}

describe('the inventory service', () => {
  jest.setTimeout(180_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let secrets: string;

  async function call<T>(method: string, path: string, body?: unknown, org = 'acme'): Promise<Reply<T>> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(await engineer(org)),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      location: res.headers.get('location'),
      body: (text ? JSON.parse(text) : undefined) as T,
      text,
    };
  }

  async function expectProblem(reply: Reply<unknown>, status: number, code: string): Promise<Problem> {
    expect({ status: reply.status, type: reply.type }).toEqual({
      status,
      type: expect.stringContaining('application/problem+json') as unknown,
    });
    const problem = reply.body as Problem;
    expect(problem.code).toBe(code);
    return Promise.resolve(problem);
  }

  const fieldsOf = (problem: Problem) => (problem.metadata?.errors ?? []).map((e) => e.field).sort();

  async function createSimulated(
    name: string,
    settings: object,
    schedule: string | null = null,
    org = 'acme',
  ) {
    const reply = await call<ConnectorView>(
      'POST',
      '/api/v1/connectors',
      { kind: 'simulated', name, settings, schedule },
      org,
    );
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function finishedScan(scanId: string, org = 'acme'): Promise<ScanView> {
    return waitFor(
      async () => {
        const reply = await call<ScanView>('GET', `/api/v1/scans/${scanId}`, undefined, org);
        return reply.body.status === 'running' ? undefined : reply.body;
      },
      { timeoutMs: 60_000, intervalMs: 100, description: `scan ${scanId} finished` },
    );
  }

  async function allPages(
    path: string,
    limit: number,
    org = 'acme',
  ): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const query: string = `${sep}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const reply: Reply<AssetPageView> = await call<AssetPageView>('GET', `${path}${query}`, undefined, org);
      expect(reply.status).toBe(200);
      expect(reply.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...reply.body.items.map((a) => a.id));
      cursor = reply.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    return { ids, pages };
  }

  beforeAll(async () => {
    await resetDatabase();
    secrets = await mkdtemp(join(tmpdir(), 'rf-inventory-secrets-'));
    const moduleRef = await Test.createTestingModule({ imports: [InventoryModule.register(config)] })
      .overrideProvider(CONNECTOR_KINDS)
      .useValue(new ConnectorKindRegistry([...BUILT_IN_KINDS, GUARDED_KIND]))
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
    await rm(secrets, { recursive: true, force: true });
    rmSync(policy.dir, { recursive: true, force: true });
  });

  describe('authorisation', () => {
    it('refuses a caller without a forwarded principal, and one with a forged one', async () => {
      const anonymous = await fetch(`${url}/api/v1/assets`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'AUTH.CREDENTIALS_MISSING' });
      const forged = await fetch(`${url}/api/v1/connectors`, {
        headers: { 'x-rf-principal': 'eyJhbGciOiJub25lIn0.e30.' },
      });
      expect(forged.status).toBe(401);
    });

    it('lets a viewer read but not manage connectors or start scans', async () => {
      const viewer = await forwardedPrincipalHeader('inventory', { role: 'viewer' });
      for (const path of ['/api/v1/assets', '/api/v1/connectors', '/api/v1/scans']) {
        expect((await fetch(`${url}${path}`, { headers: viewer })).status).toBe(200);
      }
      const create = await fetch(`${url}/api/v1/connectors`, {
        method: 'POST',
        headers: { ...viewer, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'simulated', name: 'not-yours', settings: { seed: 'v', size: 1 } }),
      });
      expect(create.status).toBe(403);
      expect(await create.json()).toMatchObject({ code: 'AUTH.POLICY_DENIED' });
      const scan = await fetch(`${url}/api/v1/connectors/${randomUUID()}/scans`, {
        method: 'POST',
        headers: viewer,
      });
      expect(scan.status).toBe(403);
    });
  });

  describe('connectors', () => {
    it('are created, read, listed, changed and deleted', async () => {
      const created = await call<ConnectorView>('POST', '/api/v1/connectors', {
        kind: 'simulated',
        name: 'crud-fleet',
        settings: { seed: 'crud', size: 10 },
        schedule: '*/5 * * * *',
      });
      expect(created.status).toBe(201);
      expect(created.location).toBe(`/api/v1/connectors/${created.body.id}`);
      expect(created.body).toMatchObject({
        kind: 'simulated',
        name: 'crud-fleet',
        settings: { seed: 'crud', size: 10 },
        credentials: {},
        schedule: '*/5 * * * *',
        enabled: true,
      });
      const { id } = created.body;
      expect((await call<ConnectorView>('GET', `/api/v1/connectors/${id}`)).body).toEqual(created.body);

      const changed = await call<ConnectorView>('PATCH', `/api/v1/connectors/${id}`, {
        name: 'crud-fleet-renamed',
        schedule: null,
        enabled: false,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: 'crud-fleet-renamed', schedule: null, enabled: false });
      expect(changed.body.settings).toEqual({ seed: 'crud', size: 10 });

      const listed = await call<ConnectorPageView>('GET', '/api/v1/connectors?limit=1000');
      expect(listed.body.items.map((c) => c.id)).toContain(id);

      expect((await call('DELETE', `/api/v1/connectors/${id}`)).status).toBe(204);
      await expectProblem(
        await call('GET', `/api/v1/connectors/${id}`),
        404,
        'INVENTORY.CONNECTOR_NOT_FOUND',
      );
      await expectProblem(
        await call('DELETE', `/api/v1/connectors/${id}`),
        404,
        'INVENTORY.CONNECTOR_NOT_FOUND',
      );
    });

    it('refuse invalid settings, unknown kinds, bad schedules and taken names with field errors', async () => {
      const bad = await expectProblem(
        await call('POST', '/api/v1/connectors', {
          kind: 'simulated',
          name: 'bad-settings',
          settings: { seed: 's', size: -1, colour: 'blue' },
          schedule: 'every minute',
        }),
        400,
        'INVENTORY.INVALID_CONNECTOR_SETTINGS',
      );
      expect(fieldsOf(bad)).toEqual(['schedule', 'settings', 'settings.size']);

      const unknown = await expectProblem(
        await call('POST', '/api/v1/connectors', { kind: 'mainframe', name: 'x' }),
        400,
        'INVENTORY.UNKNOWN_CONNECTOR_KIND',
      );
      expect(fieldsOf(unknown)).toEqual(['kind']);

      const shape = await expectProblem(
        await call('POST', '/api/v1/connectors', { name: '', enabled: 'yes', extra: 1 }),
        400,
        'INVENTORY.INVALID_REQUEST',
      );
      expect(fieldsOf(shape)).toEqual(['enabled', 'extra', 'kind', 'name']);

      await createSimulated('taken-name', { seed: 't', size: 1 });
      const taken = await expectProblem(
        await call('POST', '/api/v1/connectors', {
          kind: 'simulated',
          name: 'taken-name',
          settings: { seed: 't', size: 1 },
        }),
        409,
        'INVENTORY.CONNECTOR_NAME_TAKEN',
      );
      expect(fieldsOf(taken)).toEqual(['name']);

      const malformed = await fetch(`${url}/api/v1/connectors`, {
        method: 'POST',
        headers: { ...(await engineer()), 'content-type': 'application/json' },
        body: '{"kind":',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');
      await expectProblem(
        await call('GET', '/api/v1/connectors/not-a-uuid'),
        400,
        'INVENTORY.INVALID_REQUEST',
      );
      await expectProblem(
        await call('PATCH', `/api/v1/connectors/${randomUUID()}`, {}),
        400,
        'INVENTORY.INVALID_REQUEST',
      );
    });

    it('store credentials as references only, and resolve them for the connection test', async () => {
      const pasted = await call<Problem>('POST', '/api/v1/connectors', {
        kind: 'guarded',
        name: 'guarded-pasted',
        settings: { assets: 1 },
        credentials: { token: OPEN_SESAME },
      });
      const problem = await expectProblem(pasted, 400, 'INVENTORY.INVALID_CONNECTOR_SETTINGS');
      expect(fieldsOf(problem)).toEqual(['credentials.token']);
      expect(pasted.text).not.toContain(OPEN_SESAME);

      const missing = await expectProblem(
        await call('POST', '/api/v1/connectors', {
          kind: 'guarded',
          name: 'guarded-none',
          settings: { assets: 1 },
        }),
        400,
        'INVENTORY.INVALID_CONNECTOR_SETTINGS',
      );
      expect(fieldsOf(missing)).toEqual(['credentials.token']);

      const tokenFile = join(secrets, 'token');
      await writeFile(tokenFile, `${OPEN_SESAME}\n`);
      const created = await call<ConnectorView>('POST', '/api/v1/connectors', {
        kind: 'guarded',
        name: 'guarded',
        settings: { assets: 3 },
        credentials: { token: `file:${tokenFile}` },
      });
      expect(created.status).toBe(201);
      expect(created.body.credentials).toEqual({ token: `file:${tokenFile}` });
      const [row] = await db.query<{ stored: string }[]>(
        `SELECT credentials::text AS stored FROM connectors WHERE connector_id = $1`,
        [created.body.id],
      );
      expect(row?.stored).not.toContain(OPEN_SESAME);

      const passed = await call<ConnectionTestView>('POST', `/api/v1/connectors/${created.body.id}/test`);
      expect(passed.status).toBe(200);
      expect(passed.body).toMatchObject({ connectorId: created.body.id, ok: true, detail: 'authorised' });

      await writeFile(tokenFile, 'wrong-token\n');
      const refused = await call<ConnectionTestView>('POST', `/api/v1/connectors/${created.body.id}/test`);
      expect(refused.body).toMatchObject({ ok: false, detail: 'the provider refused the token' });

      await rm(tokenFile);
      const unresolved = await call<ConnectionTestView>('POST', `/api/v1/connectors/${created.body.id}/test`);
      expect(unresolved.body.ok).toBe(false);
      expect(unresolved.body.detail).toMatch(/INVENTORY\.CREDENTIAL_UNRESOLVED.*ENOENT/);

      // A connector without its own test is tested by listing its first page.
      const simulated = await createSimulated('tested-simulated', { seed: 'test', size: 5 });
      const listed = await call<ConnectionTestView>('POST', `/api/v1/connectors/${simulated.id}/test`);
      expect(listed.body).toMatchObject({ ok: true, detail: 'listed a first page of 5 assets' });
      await expectProblem(
        await call('POST', `/api/v1/connectors/${randomUUID()}/test`),
        404,
        'INVENTORY.CONNECTOR_NOT_FOUND',
      );
    });
  });

  describe('assets and scans', () => {
    let fleet: ConnectorView;
    let scan: ScanView;
    let consumer: Consumer;
    const events: {
      topic: string;
      type: string;
      organisation: string | null;
      data: Record<string, unknown>;
    }[] = [];

    beforeAll(async () => {
      fleet = await createSimulated('api-fleet', { seed: 'api', size: 2_500 });
      // Read the asset and scan topics from their current ends, filtering this fleet's events.
      const kafka = app.get<Kafka>(KAFKA);
      const admin = kafka.admin();
      await admin.connect();
      const ends = await Promise.all(
        [ASSET_TOPIC, SCAN_TOPIC].map(async (topic) => ({
          topic,
          offsets: await admin.fetchTopicOffsets(topic),
        })),
      );
      await admin.disconnect();
      consumer = kafka.consumer({ groupId: `inventory-int-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topics: [ASSET_TOPIC, SCAN_TOPIC], fromBeginning: false });
      const seeked = new Set<string>();
      await consumer.run({
        eachMessage: ({ topic, message }) => {
          const data = decodeWireFormat(message.value).data as Record<string, unknown>;
          if (data['connectorId'] === fleet.id) {
            const envelope = fromKafkaHeaders(message.headers ?? {});
            events.push({ topic, type: envelope.type, organisation: envelope.organisation, data });
          }
          return Promise.resolve();
        },
      });
      for (const { topic, offsets } of ends) {
        for (const { partition, offset } of offsets) {
          consumer.seek({ topic, partition, offset });
          seeked.add(`${topic}/${partition}`);
        }
      }
      expect(seeked.size).toBeGreaterThan(1);

      const started = await call<ScanView>('POST', `/api/v1/connectors/${fleet.id}/scans`);
      expect(started.status).toBe(202);
      expect(started.location).toBe(`/api/v1/scans/${started.body.id}`);
      expect(started.body).toMatchObject({ connectorId: fleet.id, trigger: 'on_demand', sequence: 1 });
      scan = await finishedScan(started.body.id);
    });

    afterAll(async () => {
      await consumer.disconnect();
    });

    it('records the scan with its counts and timings', () => {
      expect(scan).toMatchObject({ status: 'succeeded', connectorKind: 'simulated', problems: [] });
      expect(scan.counts.discovered).toBeGreaterThan(2_000);
      expect(scan.finishedAt).not.toBeNull();
      expect(scan.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('announces every discovered asset, and the scan, on Kafka', async () => {
      const discovered = await waitFor(
        () => {
          const seen = events.filter((e) => e.type === ASSET_DISCOVERED);
          const completed = events.some((e) => e.type === SCAN_COMPLETED);
          return Promise.resolve(seen.length >= scan.counts.discovered && completed ? seen : undefined);
        },
        { timeoutMs: 90_000, intervalMs: 200, description: 'asset.discovered events on Kafka' },
      );
      expect(discovered).toHaveLength(scan.counts.discovered);
      expect(new Set(discovered.map((e) => e.data['assetId'])).size).toBe(scan.counts.discovered);
      expect(discovered.every((e) => e.topic === ASSET_TOPIC && e.data['scanId'] === scan.id)).toBe(true);
      const completed = events.filter((e) => e.type === SCAN_COMPLETED);
      expect(completed).toHaveLength(1);
      expect(completed[0]?.data).toMatchObject({ scanId: scan.id, outcome: 'succeeded' });
      // ce_organisation: the connector's organisation, that of the caller who created it.
      expect(new Set(events.map((e) => e.organisation))).toEqual(new Set(['acme']));
    });

    it('pages through every active asset once, in a stable order', async () => {
      const [{ count }] = await db.query<[{ count: number }]>(
        `SELECT count(*)::int AS count FROM assets WHERE removed_at IS NULL`,
      );
      const { ids, pages } = await allPages('/api/v1/assets', 337);
      expect(ids).toHaveLength(count);
      expect(new Set(ids).size).toBe(count);
      expect(pages).toBe(Math.max(1, Math.ceil(count / 337)));
      expect([...ids].sort()).toEqual(ids);
      // The same walk again gives the same order.
      expect((await allPages('/api/v1/assets', 1_000)).ids).toEqual(ids);
    });

    it('filters by platform, environment, site, image and state', async () => {
      const [sample] = await db.query<
        { platform: string; environment: string; site: string; image_family: string; state: string }[]
      >(
        `SELECT platform, environment, site, image_family, state FROM assets
          WHERE removed_at IS NULL AND environment IS NOT NULL AND site IS NOT NULL AND image_family IS NOT NULL
          LIMIT 1`,
      );
      if (!sample) throw new Error('the simulated fleet has no fully described asset');
      const cases: [string, string, string][] = [
        ['platform', sample.platform, 'platform = $1'],
        ['environment', sample.environment, 'environment = $1'],
        ['site', sample.site, 'site = $1'],
        ['image', sample.image_family, '(image_ref = $1 OR image_family = $1)'],
        ['state', 'stopped', 'state = $1'],
      ];
      for (const [name, value, where] of cases) {
        const expected = await db.query<{ asset_id: string }[]>(
          `SELECT asset_id FROM assets WHERE removed_at IS NULL AND ${where} ORDER BY asset_id`,
          [value],
        );
        expect(expected.length).toBeGreaterThan(0);
        const { ids } = await allPages(`/api/v1/assets?${name}=${encodeURIComponent(value)}`, 500);
        expect({ name, ids }).toEqual({ name, ids: expected.map((r) => r.asset_id) });
      }
      const combined = await call<AssetPageView>(
        'GET',
        `/api/v1/assets?platform=${sample.platform}&environment=${sample.environment}&limit=1000`,
      );
      expect(combined.body.items.length).toBeGreaterThan(0);
      expect(
        combined.body.items.every(
          (a) => a.platform === sample.platform && a.environment === sample.environment,
        ),
      ).toBe(true);
    });

    it('serves one asset with its graph edges, and 404 for an unknown one', async () => {
      const first = await call<AssetPageView>('GET', '/api/v1/assets?limit=1');
      const asset = first.body.items[0];
      if (!asset) throw new Error('no asset');
      const detail = await call<AssetDetailView>('GET', `/api/v1/assets/${asset.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ ...asset, connectorId: fleet.id });
      expect(detail.body.edges.map((e) => e.kind)).toContain('account');
      const missing = await expectProblem(
        await call('GET', `/api/v1/assets/${randomUUID()}`),
        404,
        'INVENTORY.ASSET_NOT_FOUND',
      );
      expect(missing.status).toBe(404);
    });

    it.each([
      ['limit=1001', ['limit']],
      ['limit=0', ['limit']],
      ['limit=abc', ['limit']],
      ['platform=mainframe', ['platform']],
      ['state=asleep', ['state']],
      ['colour=blue', ['colour']],
      ['cursor=bm90LWEtY3Vyc29y', ['cursor']],
    ])('refuses %s with a 400 problem naming the field', async (query, fields) => {
      const problem = await expectProblem(
        await call('GET', `/api/v1/assets?${query}`),
        400,
        'INVENTORY.INVALID_REQUEST',
      );
      expect(fieldsOf(problem)).toEqual(fields);
    });

    it('lists scan history newest first, by connector and status', async () => {
      const history = await call<ScanPageView>(
        'GET',
        `/api/v1/scans?connectorId=${fleet.id}&status=succeeded`,
      );
      expect(history.body.items.map((s) => s.id)).toEqual([scan.id]);
      await expectProblem(await call('GET', '/api/v1/scans?status=done'), 400, 'INVENTORY.INVALID_REQUEST');
      await expectProblem(
        await call('GET', `/api/v1/scans/${randomUUID()}`),
        404,
        'INVENTORY.SCAN_NOT_FOUND',
      );
    });

    it('refuses a second scan of a connector while one runs, in this process or another', async () => {
      // Another process holds the connector's scan lock.
      const lease = await new PostgresScanLock(db).tryAcquire(fleet.id);
      expect(lease).toBeDefined();
      const refused = await expectProblem(
        await call('POST', `/api/v1/connectors/${fleet.id}/scans`),
        409,
        'INVENTORY.SCAN_ALREADY_RUNNING',
      );
      expect(refused.status).toBe(409);
      await expectProblem(
        await call('DELETE', `/api/v1/connectors/${fleet.id}`),
        409,
        'INVENTORY.SCAN_ALREADY_RUNNING',
      );
      await lease?.release();

      // Two requests at once: one scan starts, the other is refused.
      const slow = await createSimulated('slow-fleet', { seed: 'slow', size: 3_000, pageSize: 20 });
      const replies = await Promise.all([
        call<ScanView>('POST', `/api/v1/connectors/${slow.id}/scans`),
        call<ScanView>('POST', `/api/v1/connectors/${slow.id}/scans`),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([202, 409]);
      const accepted = replies.find((r) => r.status === 202);
      await finishedScan(accepted!.body.id);
      const scans = await call<ScanPageView>('GET', `/api/v1/scans?connectorId=${slow.id}`);
      expect(scans.body.items).toHaveLength(1);
    });
  });

  describe('organisations', () => {
    const ACME = 'acme';
    const GLOBEX = 'globex';
    // Both organisations list the very same simulated machines.
    const FLEET = { seed: 'tenancy', size: 400 };
    let acme: { connector: ConnectorView; scan: ScanView };
    let globex: { connector: ConnectorView; scan: ScanView };

    async function scanned(org: string): Promise<{ connector: ConnectorView; scan: ScanView }> {
      const connector = await createSimulated('tenant-fleet', FLEET, null, org);
      const started = await call<ScanView>(
        'POST',
        `/api/v1/connectors/${connector.id}/scans`,
        undefined,
        org,
      );
      expect(started.status).toBe(202);
      return { connector, scan: await finishedScan(started.body.id, org) };
    }

    beforeAll(async () => {
      // The same connector name is free in each organisation.
      acme = await scanned(ACME);
      globex = await scanned(GLOBEX);
    });

    it('give each connector, scan and asset the organisation of the caller that created the connector', async () => {
      expect(acme.connector.organisation).toBe(ACME);
      expect(globex.connector.organisation).toBe(GLOBEX);
      expect(acme.scan).toMatchObject({ organisation: ACME, status: 'succeeded' });
      expect(globex.scan).toMatchObject({ organisation: GLOBEX, status: 'succeeded' });
      // The machines acme already tracks are new to globex: nothing of acme's is matched or updated.
      expect(globex.scan.counts).toMatchObject({ updated: 0, unchanged: 0, discovered: 400 });
      const rows = await db.query<{ connector_id: string; organisation: string; n: number }[]>(
        `SELECT connector_id, organisation, count(*)::int AS n FROM assets WHERE connector_id = ANY($1::uuid[])
         GROUP BY connector_id, organisation ORDER BY organisation`,
        [[acme.connector.id, globex.connector.id]],
      );
      expect(rows.map((r) => [r.connector_id, r.organisation])).toEqual([
        [acme.connector.id, ACME],
        [globex.connector.id, GLOBEX],
      ]);
      expect(rows[1]?.n).toBe(400);
    });

    it('list only the caller organisation connectors, scans and assets', async () => {
      const connectors = async (org: string) =>
        (await call<ConnectorPageView>('GET', '/api/v1/connectors?limit=1000', undefined, org)).body.items;
      const globexConnectors = await connectors(GLOBEX);
      expect(globexConnectors.map((c) => c.id)).toEqual([globex.connector.id]);
      expect((await connectors(ACME)).map((c) => c.id)).not.toContain(globex.connector.id);

      const scans = async (org: string) =>
        (await call<ScanPageView>('GET', '/api/v1/scans?limit=1000', undefined, org)).body.items;
      expect((await scans(GLOBEX)).map((s) => s.id)).toEqual([globex.scan.id]);
      const acmeScans = (await scans(ACME)).map((s) => s.id);
      expect(acmeScans).toContain(acme.scan.id);
      expect(acmeScans).not.toContain(globex.scan.id);
      const byConnector = await call<ScanPageView>(
        'GET',
        `/api/v1/scans?connectorId=${globex.connector.id}`,
        undefined,
        ACME,
      );
      expect(byConnector.body.items).toEqual([]);

      const globexAssets = (await allPages('/api/v1/assets', 1_000, GLOBEX)).ids;
      const acmeAssets = new Set((await allPages('/api/v1/assets', 1_000, ACME)).ids);
      expect(globexAssets).toHaveLength(globex.scan.counts.discovered);
      expect(globexAssets.filter((id) => acmeAssets.has(id))).toEqual([]);
      const filtered = await call<AssetPageView>(
        'GET',
        '/api/v1/assets?platform=aws&limit=1000',
        undefined,
        GLOBEX,
      );
      expect(filtered.body.items.every((a) => a.organisation === GLOBEX)).toBe(true);
    });

    it('answer 404, as for a missing id, for another organisation connector, scan or asset, on every route', async () => {
      const id = globex.connector.id;
      const notFound = async (method: string, path: string, code: string, body?: unknown) => {
        const reply = await call(method, path, body, ACME);
        await expectProblem(reply, 404, code);
        const missing = await call(method, path.replace(/[0-9a-f-]{36}/, randomUUID()), body, ACME);
        expect((reply.body as Problem).detail?.replace(/[0-9a-f-]{36}/g, '')).toBe(
          (missing.body as Problem).detail?.replace(/[0-9a-f-]{36}/g, ''),
        );
      };
      await notFound('GET', `/api/v1/connectors/${id}`, 'INVENTORY.CONNECTOR_NOT_FOUND');
      await notFound('PATCH', `/api/v1/connectors/${id}`, 'INVENTORY.CONNECTOR_NOT_FOUND', {
        name: 'stolen',
      });
      await notFound('POST', `/api/v1/connectors/${id}/test`, 'INVENTORY.CONNECTOR_NOT_FOUND');
      await notFound('POST', `/api/v1/connectors/${id}/scans`, 'INVENTORY.CONNECTOR_NOT_FOUND');
      await notFound('DELETE', `/api/v1/connectors/${id}`, 'INVENTORY.CONNECTOR_NOT_FOUND');
      await notFound('GET', `/api/v1/scans/${globex.scan.id}`, 'INVENTORY.SCAN_NOT_FOUND');
      const [asset] = (await call<AssetPageView>('GET', '/api/v1/assets?limit=1', undefined, GLOBEX)).body
        .items;
      if (!asset) throw new Error('globex has no asset');
      await notFound('GET', `/api/v1/assets/${asset.id}`, 'INVENTORY.ASSET_NOT_FOUND');

      // Nothing of globex changed, and its owner still reads all of it.
      const own = await call<ConnectorView>('GET', `/api/v1/connectors/${id}`, undefined, GLOBEX);
      expect(own.body).toMatchObject({ name: 'tenant-fleet', organisation: GLOBEX, enabled: true });
      expect((await call('GET', `/api/v1/assets/${asset.id}`, undefined, GLOBEX)).status).toBe(200);
      const history = await call<ScanPageView>('GET', `/api/v1/scans?connectorId=${id}`, undefined, GLOBEX);
      expect(history.body.items.map((s) => s.id)).toEqual([globex.scan.id]);
    });

    it('publish every asset and scan event with the connector organisation as ce_organisation', async () => {
      const rows = await db.query<{ organisation: string | null; n: number }[]>(
        `SELECT organisation, count(*)::int AS n FROM outbox WHERE data->>'connectorId' = $1 GROUP BY organisation`,
        [globex.connector.id],
      );
      expect(rows).toEqual([{ organisation: GLOBEX, n: globex.scan.counts.discovered + 1 }]);
    });

    it('run a scheduled scan in its connector organisation', async () => {
      const connector = await createSimulated(
        'tenant-cron',
        { seed: 'tenant-cron', size: 20 },
        '* * * * * *',
        GLOBEX,
      );
      const scans = await waitFor(
        async () => {
          const page = await call<ScanPageView>(
            'GET',
            `/api/v1/scans?connectorId=${connector.id}`,
            undefined,
            GLOBEX,
          );
          return page.body.items.some((s) => s.status === 'succeeded') ? page.body.items : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200, description: 'a scheduled scan of the globex connector' },
      );
      await call('PATCH', `/api/v1/connectors/${connector.id}`, { enabled: false }, GLOBEX);
      expect(scans.every((s) => s.trigger === 'scheduled' && s.organisation === GLOBEX)).toBe(true);
      const [stamped] = await db.query<{ organisations: string[] }[]>(
        `SELECT array_agg(DISTINCT organisation) AS organisations FROM assets WHERE connector_id = $1`,
        [connector.id],
      );
      expect(stamped?.organisations).toEqual([GLOBEX]);
      // Each slot was decided by the gate as the connector's schedule, and recorded in its organisation.
      const decisions = await db.query<{ actor: unknown; result: string; organisation: string }[]>(
        `SELECT data->'actor' AS actor, data->>'result' AS result, organisation FROM outbox
         WHERE event_type = 'io.resiliencefabric.policy.decided.v1' AND data->'resource'->>'id' = $1
           AND data->>'action' = 'scan.run'`,
        [connector.id],
      );
      expect(decisions.length).toBeGreaterThanOrEqual(scans.length);
      expect(decisions[0]).toEqual({
        actor: { kind: 'schedule', id: `connector-schedule:${connector.id}` },
        result: 'allow',
        organisation: GLOBEX,
      });
    });
  });

  describe('scheduling', () => {
    it('runs a connector on its cron schedule, one scan at a time, until it is disabled', async () => {
      const connector = await createSimulated('every-second', { seed: 'cron', size: 200 }, '* * * * * *');
      const scheduled = await waitFor(
        async () => {
          const page = await call<ScanPageView>('GET', `/api/v1/scans?connectorId=${connector.id}`);
          const done = page.body.items.filter((s) => s.status === 'succeeded');
          return done.length >= 2 ? page.body.items : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200, description: 'two scheduled scans' },
      );
      expect(scheduled.every((s) => s.trigger === 'scheduled')).toBe(true);
      const disabled = await call<ConnectorView>('PATCH', `/api/v1/connectors/${connector.id}`, {
        enabled: false,
      });
      expect(disabled.body.enabled).toBe(false);
      await expectProblem(
        await call('POST', `/api/v1/connectors/${connector.id}/scans`),
        409,
        'INVENTORY.CONNECTOR_DISABLED',
      );
      const all = await waitFor(
        async () => {
          const page = await call<ScanPageView>(
            'GET',
            `/api/v1/scans?connectorId=${connector.id}&limit=1000`,
          );
          return page.body.items.every((s) => s.status !== 'running') ? page.body.items : undefined;
        },
        { timeoutMs: 30_000, description: 'the last scheduled scan finished' },
      );
      // Never two at once: each scan started after the previous one finished.
      const ordered = [...all].sort((a, b) => a.sequence - b.sequence);
      for (let i = 1; i < ordered.length; i += 1) {
        expect(Date.parse(ordered[i]!.startedAt)).toBeGreaterThanOrEqual(
          Date.parse(ordered[i - 1]!.finishedAt!),
        );
      }
      expect(all.every((s) => s.status === 'succeeded')).toBe(true);
    });
  });

  describe('a scheduled connector that cannot be built', () => {
    it('records a failed scan naming the unresolved credential, and refuses on-demand scans', async () => {
      const created = await call<ConnectorView>('POST', '/api/v1/connectors', {
        kind: 'guarded',
        name: 'guarded-unresolvable',
        settings: { assets: 1 },
        credentials: { token: `file:${join(secrets, 'never-written')}` },
        schedule: '* * * * * *',
      });
      expect(created.status).toBe(201);
      const { id } = created.body;
      const failed = await waitFor(
        async () => {
          const page = await call<ScanPageView>('GET', `/api/v1/scans?connectorId=${id}&status=failed`);
          return page.body.items[0];
        },
        { timeoutMs: 30_000, description: 'a failed scheduled scan' },
      );
      await call('PATCH', `/api/v1/connectors/${id}`, { enabled: false });
      expect(failed).toMatchObject({ trigger: 'scheduled', status: 'failed' });
      expect(failed.problems.map((p) => p.code)).toEqual(['INVENTORY.CREDENTIAL_UNRESOLVED']);
      expect(failed.problems[0]?.message).toContain('never-written');

      await call('PATCH', `/api/v1/connectors/${id}`, { enabled: true, schedule: null });
      const refused = await expectProblem(
        await call('POST', `/api/v1/connectors/${id}/scans`),
        400,
        'INVENTORY.CREDENTIAL_UNRESOLVED',
      );
      expect(refused.detail).toContain('never-written');
    });
  });

  describe('replicas', () => {
    it('claim each cron slot of a connector exactly once', async () => {
      const connector = await createSimulated('claimed', { seed: 'claim', size: 1 }, '0 * * * *');
      const repository = new PostgresConnectorConfigurationRepository(db);
      const slot = new Date('2030-01-01T10:00:00Z');
      const claims = await Promise.all(
        Array.from({ length: 6 }, () => repository.claimSlot(connector.id, slot)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await repository.claimSlot(connector.id, new Date('2030-01-01T09:00:00Z'))).toBe(false);
      expect(await repository.claimSlot(connector.id, new Date('2030-01-01T11:00:00Z'))).toBe(true);
    });

    it('seed a simulated fleet on a database without connectors, and scan it', async () => {
      await db.query('DELETE FROM connectors');
      const seeding = loadInventoryConfig(
        withPolicy({
          RF_INVENTORY_SEED_SIMULATED_FLEET: 'true',
          RF_INVENTORY_SEED_FLEET_SIZE: '300',
          RF_INVENTORY_SEED_FLEET_ORGANISATION: 'acme',
          RF_INVENTORY_SCHEDULER_ENABLED: 'false',
        }),
      );
      const moduleRef = await Test.createTestingModule({
        imports: [InventoryModule.register(seeding)],
      }).compile();
      const replica = moduleRef.createNestApplication({ logger: false });
      await replica.listen(0, '127.0.0.1');
      try {
        const seeded = await call<ConnectorView>(
          'GET',
          `/api/v1/connectors/${SEEDED_SIMULATED_CONNECTOR_ID}`,
        );
        expect(seeded.body).toMatchObject({
          organisation: 'acme',
          kind: 'simulated',
          name: 'simulated-fleet',
          settings: { size: 300 },
          schedule: '*/10 * * * *',
        });
        const scans = await waitFor(
          async () => {
            const page = await call<ScanPageView>(
              'GET',
              `/api/v1/scans?connectorId=${SEEDED_SIMULATED_CONNECTOR_ID}`,
            );
            return page.body.items.some((s) => s.status === 'succeeded') ? page.body.items : undefined;
          },
          { timeoutMs: 30_000, description: 'the first scan of the seeded fleet' },
        );
        const first = scans.find((s) => s.sequence === 1);
        expect(first).toMatchObject({ trigger: 'scheduled', status: 'succeeded' });
        expect(first?.counts.discovered).toBeGreaterThan(250);
      } finally {
        await replica.close();
      }
      // Restarting with connectors configured seeds nothing more.
      const again = await Test.createTestingModule({
        imports: [InventoryModule.register(seeding)],
      }).compile();
      const second = again.createNestApplication({ logger: false });
      await second.init();
      await second.close();
      const [{ count }] = await db.query<[{ count: number }]>(
        'SELECT count(*)::int AS count FROM connectors',
      );
      expect(count).toBe(1);
    });
  });
});
