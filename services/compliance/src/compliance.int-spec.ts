import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type ComplianceScoredV1, subjectOf } from '@rf/contracts';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import {
  encodeWireFormat,
  type EventCatalogue,
  KafkaInboxTransport,
  type OutboxWriter,
  SchemaDirectory,
  SchemaIdResolver,
  toKafkaHeaders,
} from '@rf/platform-events';
import { METRICS_REGISTRY } from '@rf/platform-observability';
import { EVENT_CATALOGUE, KAFKA, OUTBOX_WRITER } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { ScoreExplanation } from './application/queries/explain-score/explain-score.handler';
import { loadComplianceConfig } from './compliance.config';
import { ComplianceModule } from './compliance.module';

const T = 'io.resiliencefabric.';
const runId = randomUUID().slice(0, 8);
const ORG = `org-${runId}`;
/** Another tenant, whose events name the same assets and environment. */
const GLOBEX = `globex-${runId}`;
const ENV = `env-${runId}`;
// The real policy bundle, enforced: scores are read as a viewer forwarded by the gateway.
const policy = buildSignedPolicyBundle();
const config = loadComplianceConfig(
  testServiceEnvironment('compliance', {
    RF_POLICY_MODE: 'prod',
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
  }),
);

type Json = Record<string, unknown>;
const example = (type: string): Json =>
  JSON.parse(
    readFileSync(join(__dirname, `../../../contracts/events/examples/${type}.v1.valid.json`), 'utf8'),
  ) as Json;

const TOPICS: Record<string, string> = {
  asset: 'rf.inventory.asset.v1',
  image: 'rf.drift.image.v1',
  drift: 'rf.drift.drift.v1',
  backup: 'rf.recovery.backup.v1',
  restore: 'rf.recovery.backup.v1',
  drill: 'rf.recovery.backup.v1',
  evidence: 'rf.ledger.evidence.v1',
};

async function resetDatabase(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}

describe('the compliance service', () => {
  jest.setTimeout(120_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let producer: Producer;
  const schemaIds = new SchemaIdResolver(config.registry.url);

  /** Produces an event straight to its topic, in the wire format, as its owning service would. */
  async function produce(
    type: string,
    key: string,
    data: Json,
    organisation: string | null = ORG,
  ): Promise<string> {
    const id = randomUUID();
    const fullType = `${T}${type}.v1`;
    const schemaId = await schemaIds.resolve(subjectOf(fullType as Parameters<typeof subjectOf>[0]));
    const headers = toKafkaHeaders({
      id,
      source: '/rf/compliance-int-test',
      type: fullType,
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
    const topic = TOPICS[type.split('.')[0] as string] as string;
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key, value: encodeWireFormat(schemaId, data), headers }],
    });
    return id;
  }

  // The caller names the body's type: these are the service's own responses.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  const getJson = async <R>(path: string, org = ORG): Promise<{ status: number; body: R; type: string }> => {
    const res = await fetch(`${url}${path}`, {
      headers: await forwardedPrincipalHeader('compliance', { role: 'viewer', org }),
    });
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      type,
      body: (type.includes('json') ? await res.json() : await res.text()) as R,
    };
  };
  const scoreOf = (kind: string, id: string, org = ORG) =>
    getJson<ScoreExplanation>(`/api/v1/compliance/scores/${kind}/${id}`, org);
  const waitForScore = (
    kind: string,
    id: string,
    ok: (s: ScoreExplanation) => boolean,
    what: string,
    org = ORG,
  ) =>
    waitFor(
      async () => {
        const res = await scoreOf(kind, id, org);
        if (res.status === 200 && ok(res.body)) return res.body;
        throw new Error(`${kind} ${id}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      },
      { timeoutMs: 60_000, description: what },
    );
  const published = (subjectId: string, org = ORG) =>
    db.query<{ data: ComplianceScoredV1; aggregate_id: string }[]>(
      `SELECT data, aggregate_id FROM outbox WHERE event_type = $1 AND aggregate_id = $2 AND organisation = $3
        ORDER BY occurred_at`,
      [`${T}compliance.scored.v1`, subjectId, org],
    );

  beforeAll(async () => {
    await resetDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [ComplianceModule.register(config)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    // The topics are shared with every other test and service, with long histories: this run consumes
    // as its own group from the current end, so it sees only what it produces (and what others
    // produce meanwhile), exactly as the service's own group would.
    const group = `rf-compliance-test-${runId}`;
    app.connectMicroservice(
      {
        strategy: new KafkaInboxTransport({
          consumer: group,
          dataSource: app.get(DataSource),
          kafka: app.get<Kafka>(KAFKA),
          catalogue: app.get<EventCatalogue>(EVENT_CATALOGUE),
          schemas: new SchemaDirectory(config.registry.url),
          outbox: app.get<OutboxWriter>(OUTBOX_WRITER),
          metrics: app.get<Registry>(METRICS_REGISTRY),
          fromBeginning: false,
        }),
      },
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
    const admin = app.get<Kafka>(KAFKA).admin();
    await admin.connect();
    await waitFor(
      async () => {
        const [g] = (await admin.describeGroups([group])).groups;
        return g?.state === 'Stable' && g.members.length > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, description: `consumer group ${group} stable` },
    );
    await admin.disconnect();
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

  it('serves scores only to a caller the gateway forwards', async () => {
    const anonymous = await fetch(`${url}/api/v1/compliance/controls`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'AUTH.CREDENTIALS_MISSING' });
    expect((await getJson('/api/v1/compliance/controls')).status).toBe(200);
  });

  const assetA = randomUUID();
  const assetB = randomUUID();
  const imageVersionId = randomUUID();
  const amiA = `ami-${runId}a`;
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  let imageEventId: string;
  let drillEventId: string;

  const asset = (id: string, imageRef: string, state: string, seen: number) => ({
    ...example('asset.discovered'),
    assetId: id,
    environment: ENV,
    imageRef,
    state,
    lastSeenAt: at(seen),
  });

  it('scores a fully compliant asset 1 and explains every control with its ledger evidence', async () => {
    imageEventId = await produce('image.published', imageVersionId, {
      ...example('image.published'),
      imageVersionId,
      artifacts: [{ platform: 'aws', region: 'eu-west-1', imageRef: amiA }],
      attestations: { cisLevel: 2, slsaBuildLevel: 3 },
    });
    await produce('drift.snapshot', `environment:${ENV}`, {
      ...example('drift.snapshot'),
      snapshotId: randomUUID(),
      scopeId: `environment:${ENV}`,
      scope: { environment: ENV },
      coveragePct: 96.5,
      takenAt: at(0),
    });
    await produce('backup.completed', runId, { ...example('backup.completed'), completedAt: at(0) });
    await produce('restore.completed', runId, {
      ...example('restore.completed'),
      completedAt: at(0),
      verified: true,
    });
    drillEventId = await produce('drill.completed', runId, {
      ...example('drill.completed'),
      completedAt: at(0),
      passed: true,
    });
    // The ledger's announcements of two of them (as the ledger publishes them, keyed by index).
    const leafHash = (i: number) => i.toString(16).padStart(64, '0');
    for (const [i, id, type] of [
      [7001, imageEventId, 'image.published'],
      [7002, drillEventId, 'drill.completed'],
    ] as const) {
      await produce('evidence.appended', String(i), {
        ...example('evidence.appended'),
        index: i,
        leafHash: leafHash(i),
        treeSize: i + 1,
        sourceEventId: id,
        sourceEventType: `${T}${type}.v1`,
      });
    }
    await produce('asset.discovered', assetA, asset(assetA, amiA, 'running', 0));

    const explained = await waitForScore(
      'asset',
      assetA,
      (s) =>
        s.score === 1 &&
        s.controls.find((c) => c.controlId === 'rf:dr-drill-passed')?.evidence[0]?.eventId === drillEventId,
      'asset A scored 1 with the recovery evidence',
    );
    expect(explained).toMatchObject({ target: 0.85, meetsTarget: true, badge: 'compliant' });
    expect(explained.controls.map((c) => [c.controlId, c.status])).toEqual([
      ['rf:image-signed', 'pass'],
      ['rf:sbom-present', 'pass'],
      ['cis:level-met', 'pass'],
      ['slsa:build-level', 'pass'],
      ['rf:drift-coverage', 'pass'],
      ['rf:patch-latency', 'pass'],
      ['rf:backups-verified', 'pass'],
      ['rf:dr-drill-passed', 'pass'],
    ]);
    // Each control links its events to ledger entries, once the ledger announced them.
    const linked = await waitForScore(
      'asset',
      assetA,
      (s) => s.controls.find((c) => c.controlId === 'rf:dr-drill-passed')?.evidence[0]?.ledger !== null,
      'the drill linked to its ledger entry',
    );
    expect(linked.controls.find((c) => c.controlId === 'rf:image-signed')?.evidence).toEqual([
      { eventId: imageEventId, ledger: { index: 7001, leafHash: leafHash(7001) } },
    ]);
    expect(linked.controls.find((c) => c.controlId === 'rf:dr-drill-passed')?.evidence).toEqual([
      { eventId: drillEventId, ledger: { index: 7002, leafHash: leafHash(7002) } },
    ]);
  });

  it('pools the environment over its assets, and leaves a terminated asset out', async () => {
    // B runs an image nobody registered: the four image controls fail, 0.45.
    await produce('asset.discovered', assetB, asset(assetB, `ami-${runId}-unknown`, 'running', 0));
    await waitForScore('asset', assetB, (s) => s.score === 0.45, 'asset B scored 0.45');
    const env = await waitForScore(
      'environment',
      ENV,
      (s) => s.score === 0.725,
      'environment pooled at 0.725',
    );
    expect(env.badge).toBe('non_compliant');
    expect(env.controls.find((c) => c.controlId === 'rf:image-signed')).toMatchObject({
      status: 'fail',
      applicable: 2,
      passing: 1,
    });

    await produce('asset.updated', assetB, {
      ...example('asset.updated'),
      ...asset(assetB, `ami-${runId}-unknown`, 'terminated', 1000),
    });
    const after = await waitForScore('environment', ENV, (s) => s.score === 1, 'environment at 1 without B');
    expect(after.previousScore).toBe(0.725);
    expect(after.controls.find((c) => c.controlId === 'rf:image-signed')).toMatchObject({
      applicable: 1,
      passing: 1,
    });
  });

  it('drops the score when the image is revoked, and announces it through the outbox with its evidence', async () => {
    await produce('image.revoked', imageVersionId, {
      ...example('image.revoked'),
      imageVersionId,
      descendants: [],
    });
    const revoked = await waitForScore(
      'asset',
      assetA,
      (s) => s.score === 0.7,
      'asset A at 0.7 after revocation',
    );
    expect(revoked).toMatchObject({ previousScore: 1, badge: 'non_compliant', meetsTarget: false });

    const events = await waitFor(
      async () => {
        const rows = await published(assetA);
        return rows.some((r) => r.data.score === 0.7) ? rows : undefined;
      },
      { timeoutMs: 10_000, description: 'compliance.scored for asset A in the outbox' },
    );
    const last = events.at(-1)?.data as ComplianceScoredV1;
    expect(last).toMatchObject({
      subjectKind: 'asset',
      subjectId: assetA,
      score: 0.7,
      previousScore: 1,
      target: 0.85,
    });
    expect(last.controls.find((c) => c.controlId === 'rf:dr-drill-passed')?.evidence).toEqual([
      { index: 7002, leafHash: (7002).toString(16).padStart(64, '0') },
    ]);
    // The environment follows on the next aggregation round: 0.725, then 1, now 0.7.
    await waitForScore('environment', ENV, (x) => x.score === 0.7, 'environment at 0.7');
    expect((await published(ENV)).map((r) => r.data.score).slice(-3)).toEqual([0.725, 1, 0.7]);
    expect((await published(ORG)).length).toBeGreaterThanOrEqual(1);

    const trend = await getJson<{ points: { score: number }[] }>(
      `/api/v1/compliance/scores/asset/${assetA}/trend`,
    );
    // The asset's event may have been consumed before the image's (other topic), so its history can
    // start lower; it ends with the two changes this test made.
    expect(trend.body.points.map((p) => p.score).slice(-2)).toEqual([1, 0.7]);
  });

  it('serves badges as SVG and shields JSON, the catalogue, and problems for bad or unknown subjects', async () => {
    const svg = await getJson(`/api/v1/compliance/badges/asset/${assetA}.svg`);
    expect(svg.type).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toContain('70% / 85%');
    const json = await getJson(`/api/v1/compliance/badges/environment/${ENV}.json`);
    expect(json.body).toEqual({
      schemaVersion: 1,
      label: 'compliance',
      message: '70% (target 85%)',
      color: 'e05d44',
    });
    const catalogue = (await getJson('/api/v1/compliance/controls')).body as {
      target: number;
      controls: unknown[];
    };
    expect(catalogue.target).toBe(0.85);
    expect(catalogue.controls).toHaveLength(8);
    expect((await getJson('/api/v1/compliance/organisation')).body).toMatchObject({ subjectId: ORG });

    const unknown = await getJson(`/api/v1/compliance/scores/asset/${randomUUID()}`);
    expect([unknown.status, unknown.type.split(';')[0], (unknown.body as Json)['code']]).toEqual([
      404,
      'application/problem+json',
      'COMPLIANCE.SCORE_NOT_FOUND',
    ]);
    const bad = await getJson('/api/v1/compliance/scores/planet/x');
    expect([bad.status, (bad.body as Json)['code']]).toEqual([400, 'COMPLIANCE.INVALID_REQUEST']);
  });

  describe('organisations', () => {
    it('scores another organisation events in that organisation only, never pooled with this one', async () => {
      // globex reports the very same asset id in the same environment, running the same AMI id, but
      // it registered no image, took no drift snapshot and has no recovery facts: everything fails
      // but patch latency (no open drift, image not revoked), 0.1.
      await produce('asset.discovered', assetA, asset(assetA, amiA, 'running', 2000), GLOBEX);
      const theirs = await waitForScore(
        'asset',
        assetA,
        (s) => s.score === 0.1,
        'globex asset A at 0.1',
        GLOBEX,
      );
      expect(theirs.controls.find((c) => c.controlId === 'rf:image-signed')?.status).toBe('fail');
      const theirEnv = await waitForScore(
        'environment',
        ENV,
        () => true,
        'globex environment scored',
        GLOBEX,
      );
      expect(theirEnv.score).toBe(0.1);
      expect(theirEnv.controls.find((c) => c.controlId === 'rf:image-signed')).toMatchObject({
        applicable: 1,
        passing: 0,
      });
      const theirOrg = (await getJson<ScoreExplanation>('/api/v1/compliance/organisation', GLOBEX)).body;
      expect(theirOrg).toMatchObject({ subjectKind: 'organisation', subjectId: GLOBEX, score: 0.1 });

      // This organisation's scores did not move, and its organisation score is still its own.
      expect((await scoreOf('asset', assetA)).body.score).toBe(0.7);
      expect((await scoreOf('environment', ENV)).body.score).toBe(0.7);
      expect((await getJson<ScoreExplanation>('/api/v1/compliance/organisation')).body).toMatchObject({
        subjectId: ORG,
        score: 0.7,
      });

      // compliance.scored of globex carry globex's organisation; none of ORG's came from globex.
      const globexAnnounced = await waitFor(
        async () => {
          const rows = await published(assetA, GLOBEX);
          return rows.length > 0 ? rows : undefined;
        },
        { timeoutMs: 10_000, description: 'compliance.scored of globex asset A' },
      );
      expect(globexAnnounced.map((r) => r.data.score)).toEqual([0.1]);
      expect((await published(GLOBEX, GLOBEX)).length).toBeGreaterThanOrEqual(1);
      expect(await published(GLOBEX)).toEqual([]);
    });

    it('answers 404 for another organisation score, trend and badge, as for one never scored', async () => {
      const other = await getJson<Json>(`/api/v1/compliance/scores/organisation/${GLOBEX}`);
      expect([other.status, other.body['code']]).toEqual([404, 'COMPLIANCE.SCORE_NOT_FOUND']);
      const trend = await getJson<Json>(`/api/v1/compliance/scores/organisation/${GLOBEX}/trend`);
      expect([trend.status, trend.body['code']]).toEqual([404, 'COMPLIANCE.SCORE_NOT_FOUND']);
      const badge = await getJson<Json>(`/api/v1/compliance/badges/organisation/${GLOBEX}.json`);
      expect(badge.status).toBe(404);
      const mine = await getJson<Json>(`/api/v1/compliance/scores/organisation/${ORG}`, GLOBEX);
      expect(mine.status).toBe(404);
      // An asset only globex reports has no score here.
      const onlyTheirs = randomUUID();
      await produce('asset.discovered', onlyTheirs, asset(onlyTheirs, amiA, 'running', 0), GLOBEX);
      await waitForScore('asset', onlyTheirs, () => true, 'globex-only asset scored', GLOBEX);
      const missing = await scoreOf('asset', onlyTheirs);
      expect([missing.status, (missing.body as unknown as Json)['code']]).toEqual([
        404,
        'COMPLIANCE.SCORE_NOT_FOUND',
      ]);
    });

    it('scores an event that names no organisation in the default organisation', async () => {
      const stray = randomUUID();
      await produce('asset.discovered', stray, asset(stray, amiA, 'running', 0), null);
      const scored = await waitForScore('asset', stray, () => true, 'stray asset scored', 'default');
      expect(scored.subjectId).toBe(stray);
      expect((await scoreOf('asset', stray)).status).toBe(404);
      expect((await published(stray, 'default')).length).toBe(1);
    });
  });
});
