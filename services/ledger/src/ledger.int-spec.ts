import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { subjectOf } from '@rf/contracts';
import { DEVELOPMENT_PRINCIPAL_SIGNING_KEY, PRINCIPAL_HEADER, PrincipalTokenSigner } from '@rf/platform-auth';
import { buildSignedPolicyBundle } from '@rf/platform-auth/testing';
import {
  type CloudEvent,
  encodeWireFormat,
  InboxContext,
  type NewEvent,
  type OutboxWriter,
  SchemaIdResolver,
  toKafkaHeaders,
  type UnitOfWork,
} from '@rf/platform-events';
import {
  auditLedger,
  decodeAuditBundle,
  decodeLeaf,
  Ed25519NoteVerifier,
  parseCheckpoint,
  parseSignedNote,
  verifyCheckpointNote,
  verifyConsistency,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import { connectEventInbox, KAFKA, OUTBOX_WRITER, UNIT_OF_WORK } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import type { Kafka, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { CheckpointResponse, EntryResponse, InclusionProofResponse } from './api/ledger-response.views';
import { EvidenceEventConsumer } from './infrastructure/messaging/evidence-event.consumer';
import { DevSigningKeyStore } from './infrastructure/signing/dev-signing-key.store';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

const ORIGIN = 'ledger.int-test.resiliencefabric.io/evidence';
const POLICY_DECIDED = 'io.resiliencefabric.policy.decided.v1';
const EXAMPLE = JSON.parse(
  readFileSync(join(__dirname, '../../../contracts/events/examples/policy.decided.v1.valid.json'), 'utf8'),
) as Record<string, unknown>;

const decision = (decisionId = randomUUID()) => ({
  ...EXAMPLE,
  decisionId,
  resource: { kind: 'plan', id: randomUUID() },
});

// The real policy bundle; RF_ENV=test runs the gate in dev mode, so reads are decided and recorded.
const policy = buildSignedPolicyBundle();
const config = loadLedgerConfig(
  testServiceEnvironment('ledger', {
    RF_LEDGER_ORIGIN: ORIGIN,
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
  }),
);

/** An auditor as the gateway forwards it (the development gateway key). */
const auditor = () =>
  new PrincipalTokenSigner(DEVELOPMENT_PRINCIPAL_SIGNING_KEY).sign(
    {
      kind: 'user',
      id: 'auditor-1',
      org: 'acme',
      authMethod: 'oidc',
      grants: [{ role: 'operator', org: 'acme' }],
    },
    'ledger',
  );

/** Only the ledger's own tables and the backbone's: the database is the ledger's test database. */
async function resetDatabase(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query(
    'DROP SCHEMA IF EXISTS ledger_backup CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
  );
  await admin.destroy();
}

interface Problem {
  status: number;
  code: string;
  detail?: string;
}

describe('the ledger service', () => {
  jest.setTimeout(120_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let producer: Producer;
  let vkey: Ed25519NoteVerifier;

  const get = async (path: string, accept = 'application/json') => {
    const res = await fetch(`${url}${path}`, { headers: { accept, [PRINCIPAL_HEADER]: await auditor() } });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  };

  const entryIndexOf = (eventId: string) =>
    waitFor(
      async () => {
        const [row] = await db.query<{ index: string }[]>(
          'SELECT index FROM ledger_entries WHERE event_id = $1',
          [eventId],
        );
        return row === undefined ? undefined : Number(row.index);
      },
      { timeoutMs: 60_000, description: `event ${eventId} in the ledger` },
    );

  const checkpointCovering = (index: number) =>
    waitFor(
      async () => {
        const res = await get('/api/v1/ledger/checkpoint');
        if (res.status !== 200) return undefined;
        const checkpoint = JSON.parse(res.body) as CheckpointResponse;
        return checkpoint.treeSize > index ? checkpoint : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: `a checkpoint covering entry ${index}` },
    );

  /** Produces an event straight to its topic, in the wire format with the registry's schema id. */
  async function produce(id: string, data: { decisionId: string }): Promise<void> {
    const schemaId = await new SchemaIdResolver(config.registry.url).resolve(subjectOf(POLICY_DECIDED));
    const headers = toKafkaHeaders({
      id,
      source: '/rf/ledger-int-test',
      type: POLICY_DECIDED,
      specversion: '1.0',
      time: '2025-11-22T09:06:01.000Z',
      subject: data.decisionId,
      dataschema: null,
      correlationId: id,
      causationId: null,
      organisation: null,
      traceparent: null,
      tracestate: null,
    });
    await producer.send({
      topic: 'rf.policy.decision.v1',
      acks: -1,
      messages: [{ key: data.decisionId, value: encodeWireFormat(schemaId, data), headers }],
    });
  }

  beforeAll(async () => {
    await resetDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectEventInbox(app, config);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    producer = app.get<Kafka>(KAFKA).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    // No key configured: the ledger generated a development key and stored it.
    const [row] = await db.query<{ skey: string }[]>('SELECT skey FROM ledger_dev_signing_keys');
    const stored = await new DevSigningKeyStore(db).loadOrCreate(ORIGIN);
    expect(stored.created).toBe(false);
    expect(row?.skey).toBe(stored.signer.toSkey());
    vkey = stored.signer.verifier;
  });

  afterAll(async () => {
    await producer.disconnect();
    await app.close();
    rmSync(policy.dir, { recursive: true, force: true });
  });

  it('serves checkpoints and consistency proofs publicly, entries, inclusion proofs and audit bundles only to a forwarded principal', async () => {
    expect((await fetch(`${url}/api/v1/ledger/checkpoint`)).status).not.toBe(401);
    for (const path of [
      '/api/v1/ledger/entries/0',
      `/api/v1/ledger/proof/inclusion?leaf_hash=${'0'.repeat(64)}`,
      '/api/v1/ledger/audit-bundle',
    ]) {
      const anonymous = await fetch(`${url}${path}`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 'AUTH.CREDENTIALS_MISSING' });
      const forged = await fetch(`${url}${path}`, {
        headers: { [PRINCIPAL_HEADER]: 'eyJhbGciOiJub25lIn0.e30.' },
      });
      expect(forged.status).toBe(401);
      expect(await forged.json()).toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    }
  });

  let first: {
    eventId: string;
    index: number;
    checkpoint: CheckpointResponse;
    data: Record<string, unknown>;
  };

  it('appends a decision published through an outbox exactly once, and announces it', async () => {
    const eventId = randomUUID();
    const data = decision();
    await app.get<UnitOfWork>(UNIT_OF_WORK).run(({ publish }) => {
      publish({ id: eventId, type: POLICY_DECIDED, data });
      return Promise.resolve();
    });
    const index = await entryIndexOf(eventId);

    // Redeliveries of the same event, then a sentinel on the same partition: once the sentinel is in,
    // the redeliveries were handled before it.
    await produce(eventId, data);
    await produce(eventId, data);
    const sentinel = randomUUID();
    await produce(sentinel, decision(data.decisionId));
    const sentinelIndex = await entryIndexOf(sentinel);
    expect(sentinelIndex).toBeGreaterThan(index);

    const [{ count }] = await db.query<[{ count: string }]>(
      'SELECT count(*) FROM ledger_entries WHERE event_id = $1',
      [eventId],
    );
    expect(Number(count)).toBe(1);
    const inbox = await db.query<{ event_id: string }[]>('SELECT event_id FROM inbox WHERE event_id = $1', [
      eventId,
    ]);
    expect(inbox).toHaveLength(1);

    const announced = await waitFor(
      async () => {
        const rows = await db.query<
          { data: Record<string, unknown>; aggregate_id: string; published: boolean }[]
        >(
          `SELECT data, aggregate_id, published_at IS NOT NULL AS published FROM outbox
            WHERE event_type = 'io.resiliencefabric.evidence.appended.v1' AND causation_id = $1`,
          [eventId],
        );
        return rows.length > 0 && rows.every((r) => r.published) ? rows : undefined;
      },
      { description: 'evidence.appended relayed' },
    );
    expect(announced).toHaveLength(1);
    const announcement = announced[0]!;
    expect(announcement.aggregate_id).toBe(String(index));
    expect(announcement.data).toMatchObject({
      index,
      treeSize: index + 1,
      sourceEventId: eventId,
      sourceEventType: POLICY_DECIDED,
      sourceTopic: 'rf.policy.decision.v1',
    });

    const checkpoint = await checkpointCovering(sentinelIndex);
    first = { eventId, index, checkpoint, data };

    // The announced root is the root at index + 1: a consistency proof from there to the checkpoint holds.
    const consistency = await getJson<{ proof: string[] }>(
      `/api/v1/ledger/proof/consistency?first=${index + 1}&second=${checkpoint.treeSize}`,
    );
    expect(
      verifyConsistency(
        index + 1,
        checkpoint.treeSize,
        Buffer.from(announcement.data['rootHash'] as string, 'hex'),
        Buffer.from(checkpoint.rootHash, 'hex'),
        consistency.proof.map((p) => Buffer.from(p, 'hex')),
      ).valid,
    ).toBe(true);
  });

  it('signs a checkpoint within two seconds of an append', async () => {
    const eventId = randomUUID();
    await produce(eventId, decision());
    const index = await entryIndexOf(eventId);
    const appendedAt = Date.now();
    const checkpoint = await checkpointCovering(index);
    expect(Date.now() - appendedAt).toBeLessThan(2_000);
    const verified = verifyCheckpointNote(checkpoint.note, { origin: ORIGIN, logKeys: [vkey] });
    expect(verified.findings).toEqual([]);
    expect(verified.checkpoint?.size).toBe(checkpoint.treeSize);
  });

  it('serves the checkpoint as a signed note, or as JSON', async () => {
    const text = await get('/api/v1/ledger/checkpoint', 'text/plain');
    expect(text.status).toBe(200);
    expect(text.type).toMatch(/^text\/plain/);
    const note = parseSignedNote(text.body);
    expect(parseCheckpoint(note.text).origin).toBe(ORIGIN);
    const defaulted = await get('/api/v1/ledger/checkpoint', '*/*');
    expect(defaulted.type).toMatch(/^text\/plain/);
    const json = await getJson<CheckpointResponse>('/api/v1/ledger/checkpoint');
    expect(json.treeSize).toBeGreaterThanOrEqual(parseCheckpoint(note.text).size);
  });

  it('serves entries and inclusion proofs that verify against a signed checkpoint', async () => {
    const entry = await getJson<EntryResponse>(`/api/v1/ledger/entries/${first.index}`);
    expect(entry).toMatchObject({
      index: first.index,
      content: { eventId: first.eventId, type: POLICY_DECIDED, subject: first.data['decisionId'] },
      payloadState: 'present',
      payload: first.data,
    });
    const size = first.checkpoint.treeSize;
    for (const leafHash of [entry.leafHash, Buffer.from(entry.leafHash, 'hex').toString('base64')]) {
      const proof = await getJson<InclusionProofResponse>(
        `/api/v1/ledger/proof/inclusion?leaf_hash=${encodeURIComponent(leafHash)}&tree_size=${size}`,
      );
      expect(proof).toMatchObject({ index: first.index, eventId: first.eventId, treeSize: size });
      expect(proof.checkpoint).toBe(first.checkpoint.note);
      const root = verifyCheckpointNote(proof.checkpoint!, { origin: ORIGIN, logKeys: [vkey] }).checkpoint!
        .rootHash;
      const check = verifyInclusion(
        first.index,
        size,
        Buffer.from(proof.leafHash, 'hex'),
        proof.proof.map((p) => Buffer.from(p, 'hex')),
        root,
      );
      expect(check.valid).toBe(true);
    }
  });

  it('serves an audit bundle that verifies offline against a saved checkpoint', async () => {
    const bundle = decodeAuditBundle(
      await getJson<unknown>(`/api/v1/ledger/audit-bundle?trusted=${first.checkpoint.treeSize}`),
    );
    // The auditor's organisation's entries and the platform-wide ones. The topics are shared, so
    // the log may hold another organisation's entries too: then the bundle is not the whole log.
    expect(bundle).toMatchObject({ fromIndex: 0, organisation: 'acme' });
    expect(bundle.entries.every((e) => [undefined, 'acme'].includes(decodeLeaf(e.leaf).organisation))).toBe(
      true,
    );
    const [{ others }] = await db.query<[{ others: string }]>(
      `SELECT count(*) AS others FROM ledger_entries WHERE index < $1 AND organisation <> 'acme'`,
      [bundle.treeSize],
    );
    expect(bundle.entries).toHaveLength(bundle.treeSize - Number(others));
    expect(bundle.complete).toBe(Number(others) === 0);
    const report = auditLedger({
      ...bundle,
      policy: { origin: ORIGIN, logKeys: [vkey] },
      trustedCheckpoints: [first.checkpoint.note],
      completeLog: bundle.complete,
    });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.inclusionProofsVerified).toBe(bundle.entries.length);
    expect(report.entriesReplayed).toBe(bundle.complete ? bundle.treeSize : 0);
    expect(report.consistencyProofsVerified).toBeGreaterThanOrEqual(1);
  });

  it('appends inside the inbox transaction, rolls back with it, and refuses a reused event id for good', async () => {
    const consumer = app.get(EvidenceEventConsumer);
    const outbox = app.get<OutboxWriter>(OUTBOX_WRITER);
    const envelope = (id: string, data: Record<string, unknown>): CloudEvent => ({
      id,
      source: '/rf/ledger-int-test',
      type: POLICY_DECIDED,
      specversion: '1.0',
      time: '2025-11-22T09:06:01.000Z',
      subject: String(data['decisionId']),
      dataschema: null,
      data,
      correlationId: id,
      causationId: null,
      organisation: null,
      traceparent: null,
      tracestate: null,
    });
    const handle = (event: CloudEvent, thenFail = false) =>
      db.transaction(async (manager) => {
        const publish = (events: readonly NewEvent[]) => outbox.append(manager, events).then(() => undefined);
        await consumer.append(event.data, new InboxContext([event, manager, publish]));
        if (thenFail) throw new Error('the inbox transaction failed after the handler');
      });
    const traces = async (eventId: string) => {
      const [row] = await db.query<[{ entries: string; payloads: string; announcements: string }]>(
        `SELECT (SELECT count(*) FROM ledger_entries WHERE event_id = $1) AS entries,
                (SELECT count(*) FROM ledger_payloads WHERE ref = 'payloads/' || $1) AS payloads,
                (SELECT count(*) FROM outbox WHERE causation_id = $1) AS announcements`,
        [eventId],
      );
      return [Number(row.entries), Number(row.payloads), Number(row.announcements)];
    };

    const id = randomUUID();
    const data = decision();
    await expect(handle(envelope(id, data), true)).rejects.toThrow('failed after the handler');
    expect(await traces(id)).toEqual([0, 0, 0]);

    await handle(envelope(id, data));
    expect(await traces(id)).toEqual([1, 1, 1]);
    await handle(envelope(id, data));
    expect(await traces(id)).toEqual([1, 1, 1]);

    const forged = handle(envelope(id, { ...data, result: 'deny' }));
    await expect(forged).rejects.toMatchObject({ code: 'LEDGER.EVENT_ID_CONFLICT', retriable: false });
    expect(await traces(id)).toEqual([1, 1, 1]);
  });

  it('answers bad input with 400 and unknown entries with 404, as problem+json', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/ledger/entries/abc', 400, 'LEDGER.INVALID_REQUEST'],
      ['/api/v1/ledger/entries/-1', 400, 'LEDGER.INVALID_REQUEST'],
      ['/api/v1/ledger/entries/99999999', 404, 'LEDGER.ENTRY_NOT_FOUND'],
      ['/api/v1/ledger/proof/inclusion', 400, 'LEDGER.INVALID_REQUEST'],
      ['/api/v1/ledger/proof/inclusion?leaf_hash=xyz', 400, 'LEDGER.INVALID_REQUEST'],
      [`/api/v1/ledger/proof/inclusion?leaf_hash=${'0'.repeat(64)}`, 404, 'LEDGER.ENTRY_NOT_FOUND'],
      ['/api/v1/ledger/proof/consistency?first=1.5', 400, 'LEDGER.INVALID_REQUEST'],
      ['/api/v1/ledger/proof/consistency?first=3&second=2', 400, 'LEDGER.INVALID_TREE_RANGE'],
      ['/api/v1/ledger/proof/consistency?first=1&second=99999999', 400, 'LEDGER.INVALID_TREE_RANGE'],
      ['/api/v1/ledger/audit-bundle?from=5&to=2', 400, 'LEDGER.INVALID_REQUEST'],
      ['/api/v1/ledger/audit-bundle?form=5', 400, 'LEDGER.INVALID_REQUEST'],
    ];
    for (const [path, status, code] of cases) {
      const res = await get(path);
      expect([path, res.status, res.type.split(';')[0]]).toEqual([path, status, 'application/problem+json']);
      const problem = JSON.parse(res.body) as Problem;
      expect([path, problem.code]).toEqual([path, code]);
    }
  });
});
