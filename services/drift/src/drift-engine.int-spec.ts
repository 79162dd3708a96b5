import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type EventType, subjectOf } from '@rf/contracts';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { encodeWireFormat, SchemaIdResolver, toKafkaHeaders } from '@rf/platform-events';
import { connectEventInbox, KAFKA } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DriftTrend } from './application/drift/queries/get-drift-trend/get-drift-trend.handler';
import type { FleetDriftReport } from './domain/drift/drift-report';
import { loadDriftConfig } from './drift.config';
import { DriftModule } from './drift.module';
import { DriftMaintenance } from './infrastructure/drift/scheduling/drift-maintenance';

const TYPE = (name: string) => `io.resiliencefabric.${name}.v1` as EventType;
const example = (name: string) =>
  JSON.parse(
    readFileSync(join(__dirname, `../../../contracts/events/examples/${name}.v1.valid.json`), 'utf8'),
  ) as Record<string, unknown>;

// Names of this run only: the test database and the topics are shared with earlier runs.
const run = randomUUID().slice(0, 8);
const ENV = `it-${run}`;
const FAMILY = `it-family-${run}`;
const ami = (version: string) => `ami-${run}-${version}`;

// The real policy bundle, enforced: reports are read as a viewer forwarded by the gateway.
const policy = buildSignedPolicyBundle();
const config = loadDriftConfig(
  testServiceEnvironment('drift', {
    RF_POLICY_MODE: 'prod',
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
    RF_DRIFT_REPORT_MAX_AGE_MS: '0',
    RF_DRIFT_TICK_MS: '3600000',
    RF_DRIFT_RECONCILE_INTERVAL_MS: '86400000',
  }),
);

interface Problem {
  status: number;
  code: string;
  detail: string;
}

describe('the drift engine service', () => {
  jest.setTimeout(180_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let producer: Producer;
  const resolver = new SchemaIdResolver(config.registry.url);

  const get = async (path: string, org = 'acme') => {
    const res = await fetch(`${url}${path}`, {
      headers: await forwardedPrincipalHeader('drift', { role: 'viewer', org }),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };

  const report = async (org = 'acme'): Promise<FleetDriftReport> => {
    const res = await get(`/api/v1/drift?env=${ENV}`, org);
    if (res.status !== 200) throw new Error(`GET /api/v1/drift: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as FleetDriftReport;
  };

  /** Polls the report until `accept` holds. */
  const reportWhere = (accept: (r: FleetDriftReport) => boolean, description: string) =>
    waitFor(
      async () => {
        const r = await report();
        return accept(r) ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, description },
    );

  /**
   * Produces an event to its topic in the wire format, with the registry's schema id, in an
   * organisation (acme, the viewer's, unless named; null sends none).
   */
  async function produce(
    type: EventType,
    topic: string,
    key: string,
    data: unknown,
    id: string = randomUUID(),
    organisation: string | null = 'acme',
  ) {
    const schemaId = await waitFor(() => resolver.resolve(subjectOf(type)), {
      description: `schema of ${type} registered`,
    });
    const headers = toKafkaHeaders({
      id,
      source: '/rf/drift-int-test',
      type,
      specversion: '1.0',
      time: new Date().toISOString(),
      subject: key,
      dataschema: null,
      correlationId: id,
      causationId: null,
      organisation,
      traceparent: null,
      tracestate: null,
    });
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value: encodeWireFormat(schemaId, data), headers }],
    });
    return id;
  }

  const publishImage = (version: string, promotedAt: string, lag?: number, org = 'acme') =>
    produce(
      TYPE('image.published'),
      'rf.drift.image.v1',
      FAMILY,
      {
        ...example('image.published'),
        family: FAMILY,
        version,
        imageVersionId: randomUUID(),
        parent: undefined,
        artifacts: [{ platform: 'aws', region: 'eu-west-1', imageRef: ami(version) }],
        publishedAt: promotedAt,
        ...(lag === undefined ? { allowedLagVersions: undefined } : { allowedLagVersions: lag }),
      },
      undefined,
      org,
    );

  const promoteImage = (version: string, promotedAt: string, org = 'acme') =>
    produce(
      TYPE('image.promoted'),
      'rf.drift.image.v1',
      FAMILY,
      {
        ...example('image.promoted'),
        family: FAMILY,
        version,
        imageVersionId: randomUUID(),
        allowedLagVersions: undefined,
        promotedAt,
      },
      undefined,
      org,
    );

  const assets = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID() };

  const seeAsset = (
    assetId: string,
    imageRef: string,
    state: 'running' | 'stopped' | 'terminated',
    id?: string,
    org: string | null = 'acme',
  ) =>
    produce(
      TYPE('asset.updated'),
      'rf.inventory.asset.v1',
      assetId,
      {
        ...example('asset.updated'),
        assetId,
        environment: ENV,
        site: 'london',
        imageRef,
        state,
      },
      id,
      org,
    );

  const driftEvents = (type: 'detected' | 'resolved', assetId: string) =>
    db.query<{ data: Record<string, unknown>; published: boolean; organisation: string | null }[]>(
      `SELECT data, published_at IS NOT NULL AS published, organisation FROM outbox
        WHERE event_type = $1 AND aggregate_id = $2 ORDER BY occurred_at`,
      [TYPE(`drift.${type}`), assetId],
    );

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DriftModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectEventInbox(app, config);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    producer = app.get<Kafka>(KAFKA).producer({ allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await app.close();
    rmSync(policy.dir, { recursive: true, force: true });
  });

  it('serves reports only to an authorised caller forwarded by the gateway', async () => {
    const anonymous = await fetch(`${url}/api/v1/drift?env=${ENV}`);
    expect(anonymous.status).toBe(401);
    const elsewhere = await fetch(`${url}/api/v1/drift/trend?env=${ENV}&org=globex`, {
      headers: await forwardedPrincipalHeader('drift', { role: 'viewer' }),
    });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ code: 'TENANCY.NOT_FOUND' });
  });

  it('reports coverage of a scope from asset and image events, stopped apart, terminated excluded', async () => {
    await publishImage('1.0.0', '2026-01-05T10:00:00Z', 0);
    await promoteImage('1.0.0', '2026-01-10T10:00:00Z');
    await seeAsset(assets.a, ami('1.0.0'), 'running');
    await seeAsset(assets.b, ami('1.0.0'), 'stopped');
    await seeAsset(assets.c, 'ami-not-a-golden-image', 'running');
    await seeAsset(assets.d, ami('1.0.0'), 'running');
    await seeAsset(assets.d, ami('1.0.0'), 'terminated');

    const r = await reportWhere(
      (x) => x.summary.totalAssets === 2 && x.summary.unmanagedAssets === 1,
      'two managed assets in scope',
    );
    expect(r.summary).toMatchObject({
      environment: ENV,
      platform: null,
      site: null,
      totalAssets: 2,
      compliantAssets: 2,
      outdatedCount: 0,
      coveragePct: 100,
      stopped: { total: 1, compliant: 1, outdated: 0 },
      outdatedAssets: [],
    });
    expect(r.scopes).toEqual([
      expect.objectContaining({ environment: ENV, platform: 'aws', site: 'london', totalAssets: 2 }),
    ]);
    expect(r.families).toEqual([
      expect.objectContaining({ family: FAMILY, totalAssets: 2, compliantAssets: 2 }),
    ]);
  });

  it('answers a poller that holds the current report with 304, even once it is recomputed', async () => {
    const headers = await forwardedPrincipalHeader('drift', { role: 'viewer' });
    const first = await fetch(`${url}/api/v1/drift?env=${ENV}`, { headers });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/u);
    const body = (await first.json()) as FleetDriftReport;
    expect(body.summary.totalAssets).toBe(2);

    // The service under test recomputes on every request: a later calculatedAt, the same content.
    const again = await fetch(`${url}/api/v1/drift?env=${ENV}`, {
      headers: { ...headers, 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await fetch(`${url}/api/v1/drift?env=${ENV}`, {
      headers: { ...headers, 'if-none-match': 'W/"another-report"' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).toBe(etag);
    // The guard runs before the validator: no 304 reveals anything to an anonymous caller.
    const anonymous = await fetch(`${url}/api/v1/drift?env=${ENV}`, { headers: { 'if-none-match': etag! } });
    expect(anonymous.status).toBe(401);
  });

  it('detects drift when prod moves on, and resolves it once when the asset catches up', async () => {
    await publishImage('1.1.0', '2026-02-01T10:00:00Z');
    await promoteImage('1.1.0', '2026-02-02T10:00:00Z');

    const drifting = await reportWhere((x) => x.summary.outdatedCount === 2, 'both assets drifting');
    expect(drifting.summary).toMatchObject({ compliantAssets: 0, coveragePct: 0, stopped: { outdated: 1 } });
    const listed = drifting.summary.outdatedAssets.map((a) => a.assetId).sort();
    expect(listed).toEqual([assets.a, assets.b].sort());
    const a = drifting.summary.outdatedAssets.find((x) => x.assetId === assets.a)!;
    expect(a).toMatchObject({
      family: FAMILY,
      runningVersion: '1.0.0',
      expectedVersion: '1.1.0',
      cause: 'outdated',
    });
    // Superseded on 2 February 2026.
    expect(a.driftAgeDays).toBe(Math.floor((Date.now() - Date.parse('2026-02-02T10:00:00Z')) / 86_400_000));

    const detected = await waitFor(
      async () => {
        const rows = await driftEvents('detected', assets.a);
        return rows.length > 0 && rows.every((x) => x.published) ? rows : undefined;
      },
      { timeoutMs: 30_000, description: 'drift.detected relayed' },
    );
    expect(detected).toHaveLength(1);
    expect(detected[0]!.data).toMatchObject({
      assetId: assets.a,
      family: FAMILY,
      runningVersion: '1.0.0',
      expectedVersion: '1.1.0',
      cause: 'outdated',
      environment: ENV,
      platform: 'aws',
      site: 'london',
    });

    // The upgrade, then a redelivery of the very same event, then a sentinel behind it on the partition.
    const upgrade = await seeAsset(assets.a, ami('1.1.0'), 'running');
    await seeAsset(assets.a, ami('1.1.0'), 'running', upgrade);
    await seeAsset(assets.a, ami('1.1.0'), 'stopped');
    await reportWhere(
      (x) => x.summary.stopped.compliant === 1 && x.summary.compliantAssets === 1,
      'a upgraded',
    );
    const resolved = await driftEvents('resolved', assets.a);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]!.data).toMatchObject({
      driftId: detected[0]!.data['driftId'],
      previousVersion: '1.0.0',
      currentVersion: '1.1.0',
      resolution: 'updated_out_of_band',
    });
    expect(await driftEvents('detected', assets.a)).toHaveLength(1);
  });

  it('tolerates the family lag, and revokes immediately', async () => {
    // Lag 1: the stopped asset on 1.0.0 is one prod version behind and compliant again.
    await publishImage('1.0.0', '2026-01-05T10:00:00Z', 1);
    await reportWhere((x) => x.summary.outdatedCount === 0, 'lag tolerated');
    const resolved = await waitFor(async () => {
      const rows = await driftEvents('resolved', assets.b);
      return rows.length > 0 ? rows : undefined;
    });
    expect(resolved[0]!.data).toMatchObject({ resolution: 'baseline_changed' });

    await produce(TYPE('image.revoked'), 'rf.drift.image.v1', FAMILY, {
      ...example('image.revoked'),
      family: FAMILY,
      version: '1.0.0',
      imageVersionId: randomUUID(),
      effectiveAt: '2026-03-01T00:00:00Z',
      scheduled: false,
      inheritedByDescendants: false,
      descendants: [],
    });
    const revoked = await reportWhere((x) => x.summary.outdatedCount === 1, 'revoked version drifting');
    expect(revoked.summary.outdatedAssets[0]).toMatchObject({ assetId: assets.b, cause: 'revoked' });
  });

  it('repairs divergent counters with a full reconcile, and snapshots the scope for its trend', async () => {
    await db.query(
      `UPDATE drift_counters SET compliant_running = compliant_running + 40
        WHERE organisation = 'acme' AND environment = $1 AND family = $2`,
      [ENV, FAMILY],
    );
    expect((await report()).summary.totalAssets).toBe(42);
    const maintenance = app.get(DriftMaintenance);
    const round = await maintenance.reconcile(Date.now());
    expect(round.get('acme')?.repairedGroups).toBeGreaterThanOrEqual(1);
    const repaired = await report();
    expect(repaired.summary).toMatchObject({ totalAssets: 2, compliantAssets: 1, outdatedCount: 1 });

    const taken = await maintenance.snapshot(Date.now());
    expect(taken.map((s) => s.scopeId)).toContain(`environment:${ENV}`);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const trend = await get(`/api/v1/drift/trend?env=${ENV}&from=${from}`);
    expect(trend.status).toBe(200);
    const points = (JSON.parse(trend.body) as DriftTrend).points;
    expect(points.at(-1)).toMatchObject({
      total: 2,
      compliant: 1,
      outdated: 1,
      stopped: 2,
      coveragePct: 50,
      rag: 'red',
    });
    // Unchanged since: no new snapshot for the scope within the hour.
    expect((await maintenance.snapshot(Date.now())).map((s) => s.scopeId)).not.toContain(
      `environment:${ENV}`,
    );
  });

  it("credits a remediation plan with the drift its assets' next update ends, once per asset", async () => {
    const [e, f, g] = [randomUUID(), randomUUID(), randomUUID()];
    // On the revoked 1.0.0: drifting.
    for (const id of [e, f, g]) await seeAsset(id, ami('1.0.0'), 'running');
    await waitFor(
      async () => {
        const detected = await Promise.all([e, f, g].map((id) => driftEvents('detected', id)));
        return detected.every((rows) => rows.length === 1) ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'three assets drifting' },
    );

    const plan = randomUUID();
    const abandoned = randomUUID();
    const planned = (planId: string, assetIds: string[]) =>
      produce(TYPE('remediation.planned'), 'rf.remediation.plan.v1', planId, {
        ...example('remediation.planned'),
        planId,
        family: FAMILY,
        toVersion: '1.1.0',
        environment: ENV,
        waves: [{ index: 0, assetIds }],
        plannedAt: new Date().toISOString(),
      });
    await planned(plan, [e, f]);
    await planned(abandoned, [g]);
    const rollback = await produce(TYPE('remediation.rolled_back'), 'rf.remediation.plan.v1', abandoned, {
      ...example('remediation.rolled_back'),
      planId: abandoned,
    });
    // The plan topic and the asset topic are not ordered with each other: wait for the plans.
    await waitFor(
      async () => {
        const rows = await db.query<{ asset_id: string; plan_id: string }[]>(
          `SELECT asset_id, plan_id FROM drift_remediation_targets WHERE asset_id = ANY($1::uuid[])`,
          [[e, f, g]],
        );
        const inbox = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`,
          [rollback],
        );
        return rows.length === 2 && rows.every((r) => r.plan_id === plan) && inbox[0]!.n === 1
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, description: 'plans recorded, the abandoned one forgotten' },
    );

    // The remediated update, its redelivery and a power flip behind it; an update of the asset
    // whose plan was rolled back.
    const upgrade = await seeAsset(e, ami('1.1.0'), 'running');
    await seeAsset(e, ami('1.1.0'), 'running', upgrade);
    await seeAsset(e, ami('1.1.0'), 'stopped');
    await seeAsset(f, ami('1.1.0'), 'running');
    await seeAsset(g, ami('1.1.0'), 'running');
    const resolved = await waitFor(
      async () => {
        const rows = await Promise.all([e, f, g].map((id) => driftEvents('resolved', id)));
        return rows.every((r) => r.length > 0) ? rows : undefined;
      },
      { timeoutMs: 60_000, description: 'three drifts resolved' },
    );
    // Behind the power flip on e's partition: nothing more for e.
    await reportWhere((x) => x.summary.stopped.compliant === 2, 'e stopped on 1.1.0');
    expect((await driftEvents('resolved', e)).map((r) => r.data)).toEqual([
      expect.objectContaining({ resolution: 'remediated', remediationPlanId: plan, currentVersion: '1.1.0' }),
    ]);
    expect(resolved[1]!.map((r) => r.data)).toEqual([
      expect.objectContaining({
        resolution: 'remediated',
        remediationPlanId: plan,
        previousVersion: '1.0.0',
      }),
    ]);
    expect(resolved[2]!.map((r) => r.data)).toEqual([
      expect.objectContaining({ resolution: 'updated_out_of_band', currentVersion: '1.1.0' }),
    ]);
    expect(resolved[2]![0]!.data).not.toHaveProperty('remediationPlanId');
    // A credited target is used once.
    const left = await db.query<unknown[]>(
      `SELECT 1 FROM drift_remediation_targets WHERE asset_id = ANY($1::uuid[])`,
      [[e, f]],
    );
    expect(left).toHaveLength(0);
  });

  it("keeps each organisation's drift to itself: its own families, reports, events and trends", async () => {
    const before = (await report()).summary;
    // globex runs the family of the same name with its own history: 1.0.0 is still its prod version.
    await publishImage('1.0.0', '2026-01-05T10:00:00Z', 0, 'globex');
    await promoteImage('1.0.0', '2026-01-10T10:00:00Z', 'globex');
    const [x, y] = [randomUUID(), randomUUID()];
    // The same image acme's revoked, superseded 1.0.0 resolves to: compliant in globex.
    await seeAsset(x, ami('1.0.0'), 'running', undefined, 'globex');
    // An acme asset id seen in globex is globex's own asset; acme's stays as it was.
    await seeAsset(assets.b, ami('1.0.0'), 'running', undefined, 'globex');
    const theirs = await waitFor(
      async () => {
        const r = await report('globex');
        return r.summary.totalAssets === 2 ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 200, description: "globex's two assets reported" },
    );
    expect(theirs.summary).toMatchObject({
      totalAssets: 2,
      compliantAssets: 2,
      outdatedCount: 0,
      coveragePct: 100,
    });
    expect(theirs.families).toEqual([
      expect.objectContaining({ family: FAMILY, totalAssets: 2, compliantAssets: 2 }),
    ]);
    // An event naming no organisation is the default organisation's, seen by neither.
    await seeAsset(y, ami('1.0.0'), 'running', undefined, null);
    await waitFor(
      async () => {
        const rows = await db.query<{ organisation: string }[]>(
          'SELECT organisation FROM drift_assets WHERE asset_id = $1',
          [y],
        );
        return rows.length === 1 ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, description: 'the asset of no organisation recorded' },
    ).then((row) => expect(row.organisation).toBe('default'));
    const mine = (await report()).summary;
    expect(mine).toMatchObject({
      totalAssets: before.totalAssets,
      compliantAssets: before.compliantAssets,
      outdatedCount: before.outdatedCount,
    });
    expect(mine.outdatedAssets.map((a) => a.assetId)).not.toContain(x);
    expect((await report('globex')).summary.totalAssets).toBe(2);

    // globex's prod moves on: its drift is detected in globex, and its events carry globex.
    await publishImage('1.2.0', '2026-04-01T10:00:00Z', 0, 'globex');
    await promoteImage('1.2.0', '2026-04-02T10:00:00Z', 'globex');
    const detected = await waitFor(
      async () => {
        const rows = await driftEvents('detected', x);
        return rows.length === 1 ? rows : undefined;
      },
      { timeoutMs: 60_000, description: "drift.detected of globex's asset" },
    );
    expect(detected[0]).toMatchObject({
      organisation: 'globex',
      data: expect.objectContaining({ expectedVersion: '1.2.0', runningVersion: '1.0.0' }) as unknown,
    });
    const acmeDetected = await driftEvents('detected', assets.a);
    expect(acmeDetected.map((r) => r.organisation)).toEqual(acmeDetected.map(() => 'acme'));
    expect((await report()).summary.outdatedAssets.map((a) => a.assetId)).not.toContain(x);

    // Trends are per organisation, and so are snapshots and their events.
    const taken = await app.get(DriftMaintenance).snapshot(Date.now());
    expect(taken.filter((t) => t.scopeId === `environment:${ENV}`).map((t) => t.organisation)).toContain(
      'globex',
    );
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const trendOf = async (org: string) =>
      (JSON.parse((await get(`/api/v1/drift/trend?env=${ENV}&from=${from}`, org)).body) as DriftTrend).points;
    expect((await trendOf('globex')).at(-1)).toMatchObject({ total: 2, outdated: 2 });
    expect((await trendOf('acme')).at(-1)).toMatchObject({
      total: mine.totalAssets,
      outdated: mine.outdatedCount,
    });
    const snapshots = await db.query<{ organisation: string }[]>(
      `SELECT DISTINCT organisation FROM outbox WHERE event_type = $1 AND data->>'scopeId' = $2`,
      [TYPE('drift.snapshot'), `environment:${ENV}`],
    );
    // Each organisation's own snapshot of the scope: the asset of no organisation made one in default.
    expect(snapshots.map((r) => r.organisation).sort()).toEqual(['acme', 'default', 'globex']);

    // A remediation plan of globex naming acme's asset records a target in globex only.
    const plan = randomUUID();
    const planned = await produce(
      TYPE('remediation.planned'),
      'rf.remediation.plan.v1',
      plan,
      {
        ...example('remediation.planned'),
        planId: plan,
        family: FAMILY,
        toVersion: '1.2.0',
        environment: ENV,
        waves: [{ index: 0, assetIds: [assets.a] }],
        plannedAt: new Date().toISOString(),
      },
      undefined,
      'globex',
    );
    await waitFor(
      async () => {
        const inbox = await db.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM inbox WHERE event_id = $1',
          [planned],
        );
        return inbox[0]!.n === 1 ? true : undefined;
      },
      { timeoutMs: 60_000, description: "globex's plan consumed" },
    );
    expect(
      await db.query('SELECT organisation FROM drift_remediation_targets WHERE plan_id = $1', [plan]),
    ).toEqual([{ organisation: 'globex' }]);
  });

  it('answers bad queries with problem+json naming the parameter', async () => {
    for (const path of [
      '/api/v1/drift?platform=mars',
      '/api/v1/drift?env=Prod!',
      '/api/v1/drift?limit=5000',
      '/api/v1/drift?colour=red',
      '/api/v1/drift/trend?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/v1/drift/trend?from=yesterday',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status, type: res.type }).toEqual({
        path,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/) as unknown,
      });
      expect((JSON.parse(res.body) as Problem).code).toBe('DRIFT.INVALID_REPORT_REQUEST');
    }
  });
});
