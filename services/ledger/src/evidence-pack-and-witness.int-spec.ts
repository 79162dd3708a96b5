import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import type { UnitOfWork } from '@rf/platform-events';
import { readEvidencePackArchive, verifyEvidencePack } from '@rf/platform-evidence-pack';
import {
  Ed25519NoteSigner,
  type Ed25519NoteVerifier,
  formatSignedNote,
  type JsonObject,
  parseSignedNote,
  signNote,
  verifyCheckpointNote,
} from '@rf/platform-ledger-proof';
import { connectEventInbox, UNIT_OF_WORK } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { CheckpointResponse } from './api/ledger-response.views';
import { DevSigningKeyStore } from './infrastructure/signing/dev-signing-key.store';
import { waveStandInWorkflow } from './infrastructure/workflow-history/jest/workflows/wave-stand-in.workflow';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

const ORIGIN = 'ledger.pack-test.resiliencefabric.io/evidence';
const T = 'io.resiliencefabric.';
const witness = Ed25519NoteSigner.generate('witness.int-test.example.org/w1');
const config = loadLedgerConfig(
  testServiceEnvironment('ledger', {
    RF_LEDGER_ORIGIN: ORIGIN,
    RF_LEDGER_WITNESS_KEYS: witness.verifier.toVkey(),
  }),
);

const example = (type: string): JsonObject =>
  JSON.parse(
    readFileSync(join(__dirname, `../../../contracts/events/examples/${type}.v1.valid.json`), 'utf8'),
  ) as JsonObject;

async function resetDatabase(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query(
    'DROP SCHEMA IF EXISTS ledger_backup CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
  );
  await admin.destroy();
}

describe('evidence packs and witness co-signatures through the ledger API', () => {
  jest.setTimeout(180_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let vkey: Ed25519NoteVerifier;
  const runId = randomUUID().slice(0, 8);
  const prodPlan = randomUUID();
  const stagingPlan = randomUUID();
  const workflowId = `remediation-${prodPlan}-wave-0`;
  const lostWorkflowId = `remediation-${prodPlan}-wave-1-${runId}`;
  const events: { id: string; type: string; data: JsonObject }[] = [];
  let windowFrom: Date;
  let windowTo: Date;

  const publish = (type: string, data: JsonObject) => {
    const id = randomUUID();
    events.push({ id, type: `${T}${type}.v1`, data });
    return app.get<UnitOfWork>(UNIT_OF_WORK).run(({ publish: out }) => {
      out({ id, type: `${T}${type}.v1`, data });
      return Promise.resolve();
    });
  };

  // Packs need ledger.export: an operator, as the gateway forwards one.
  const pack = async (body: unknown) =>
    fetch(`${url}/api/v1/ledger/evidence-packs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await forwardedPrincipalHeader('ledger', { role: 'operator' })),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    // A real remediation-wave workflow on the local Temporal, whose history the pack must carry.
    const taskQueue = `rf-ledger-pack-${runId}`;
    const native = await NativeConnection.connect({ address: config.ledger.workflowHistory.address });
    const worker = await Worker.create({
      connection: native,
      namespace: config.ledger.workflowHistory.namespace,
      taskQueue,
      workflowsPath:
        require.resolve('./infrastructure/workflow-history/jest/workflows/wave-stand-in.workflow'),
    });
    const connection = await Connection.connect({ address: config.ledger.workflowHistory.address });
    try {
      const client = new Client({ connection, namespace: config.ledger.workflowHistory.namespace });
      await worker.runUntil(
        client.workflow.execute(waveStandInWorkflow, {
          taskQueue,
          workflowId,
          args: [['asset-1', 'asset-2']],
        }),
      );
    } finally {
      await connection.close();
      await native.close();
    }

    await resetDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectEventInbox(app, config);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    vkey = (await new DevSigningKeyStore(db).loadOrCreate(ORIGIN)).signer.verifier;

    windowFrom = new Date(Date.now() - 1000);
    await publish('remediation.planned', {
      ...example('remediation.planned'),
      planId: prodPlan,
      environment: 'prod',
    });
    await publish('remediation.planned', {
      ...example('remediation.planned'),
      planId: stagingPlan,
      environment: 'staging',
    });
    await publish('remediation.wave.started', {
      ...example('remediation.wave.started'),
      planId: prodPlan,
      workflowId,
    });
    await publish('remediation.wave.started', {
      ...example('remediation.wave.started'),
      planId: prodPlan,
      waveIndex: 2,
      workflowId: lostWorkflowId,
    });
    await publish('remediation.wave.started', {
      ...example('remediation.wave.started'),
      planId: stagingPlan,
      workflowId: `remediation-${stagingPlan}-wave-0`,
    });
    await publish('policy.decided', { ...example('policy.decided'), decisionId: randomUUID() });
    await publish('image.published', example('image.published'));
    await publish('compliance.scored', { ...example('compliance.scored'), scoreId: randomUUID() });

    // The topics are shared, so the log may hold other events too: wait for ours, and a checkpoint over them.
    await waitFor(
      async () => {
        const rows = await db.query<{ index: string }[]>(
          'SELECT index FROM ledger_entries WHERE event_id = ANY($1::text[])',
          [events.map((e) => e.id)],
        );
        const res = await fetch(`${url}/api/v1/ledger/checkpoint`, {
          headers: { accept: 'application/json' },
        });
        const cp = res.status === 200 ? ((await res.json()) as CheckpointResponse) : undefined;
        const last = Math.max(...rows.map((r) => Number(r.index)));
        if (rows.length === events.length && cp !== undefined && cp.treeSize > last) return true;
        throw new Error(`${rows.length} of ${events.length} events appended, checkpoint at ${cp?.treeSize}`);
      },
      { timeoutMs: 60_000, description: 'our events appended and checkpointed' },
    );
    windowTo = new Date(Date.now() + 1000);
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves a ZIP that verifies offline, with the environment entries, proofs and workflow history', async () => {
    const res = await pack({
      from: windowFrom.toISOString(),
      to: windowTo.toISOString(),
      environment: 'prod',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="evidence-prod-.*\.zip"$/);
    const archive = Buffer.from(await res.arrayBuffer());

    const verified = verifyEvidencePack(archive, { trustedKeys: [vkey], trustEmbeddedKeys: false });
    expect(verified.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const index = verified.index;
    if (index === undefined) throw new Error('no index');

    // The staging plan and its wave are left out; the rest is the prod plan or organisation-wide.
    const ours = new Map(events.map((e) => [e.id, e]));
    const included = index.entries.filter((e) => ours.has(e.eventId)).map((e) => ours.get(e.eventId));
    // Topics and partitions differ, so the log's order is not the publication order.
    expect(included.map((e) => e?.id).sort()).toEqual(
      events
        .filter((e) => e.data['planId'] !== stagingPlan)
        .map((e) => e.id)
        .sort(),
    );
    expect(index.scope.otherEnvironmentEntriesExcluded).toBeGreaterThanOrEqual(2);
    expect(verified.inclusionProofsVerified).toBe(index.entries.length);

    expect(index.sections.policyDecisions.status).toBe('present');
    expect(index.sections.complianceReports.files).toEqual([
      'reports/compliance.json',
      'reports/compliance.csv',
    ]);
    expect(index.sections.driftReports.status).toBe('absent');
    expect(index.sections.sboms.status).toBe('partial');
    expect(index.sections.workflowHistories.status).toBe('partial');
    expect(index.sections.workflowHistories.missing).toContainEqual({
      item: `workflow ${lostWorkflowId}`,
      reason: expect.stringMatching(/^not_found: /) as unknown,
    });

    // The history loads back as Temporal's History message, and shows the run from start to completion.
    const historyPath = `workflows/${workflowId}.history.json`;
    expect(index.sections.workflowHistories.files).toContain(historyPath);
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(readEvidencePackArchive(archive).get(historyPath)?.toString('utf8') ?? '{}') as object,
    );
    const types = history.events.map((e) => e.eventType);
    const { EventType } = temporal.api.enums.v1;
    expect(types[0]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    expect(types).toContain(EventType.EVENT_TYPE_TIMER_FIRED);
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);

    // The same request over the same log gives the same bytes. The topics are shared, so another
    // event may change the log between two requests: ask again until two see the same log.
    const body = { from: windowFrom.toISOString(), to: windowTo.toISOString(), environment: 'prod' };
    // The log's state as a pack sees it: the head, and the entries of the window still pending.
    const headOf = (zip: Buffer) => {
      const index = JSON.parse(readEvidencePackArchive(zip).get('index.json')?.toString('utf8') ?? '{}') as {
        log: { treeSize: number };
        scope: { pendingEntriesExcluded: number };
      };
      return `${index.log.treeSize}/${index.scope.pendingEntriesExcluded}`;
    };
    const [a, b] = await waitFor(
      async () => {
        const first = Buffer.from(await (await pack(body)).arrayBuffer());
        const second = Buffer.from(await (await pack(body)).arrayBuffer());
        return headOf(first) === headOf(second) ? [first, second] : undefined;
      },
      { timeoutMs: 30_000, description: 'two packs over the same log' },
    );
    expect(a.equals(b)).toBe(true);
  });

  it('refuses a bad request with problem+json', async () => {
    const res = await pack({
      from: windowTo.toISOString(),
      to: windowFrom.toISOString(),
      environment: 'Prod!',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('LEDGER.INVALID_REQUEST');
    expect(problem.detail).toMatch(/environment/);
    const unknown = await pack({
      from: windowFrom.toISOString(),
      to: windowTo.toISOString(),
      environment: 'prod',
      x: 1,
    });
    expect(unknown.status).toBe(400);
  });

  describe('witness co-signatures', () => {
    const post = (body: unknown) =>
      fetch(`${url}/api/v1/ledger/checkpoint/cosignatures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const cosign = (note: string, key: Ed25519NoteSigner) => {
      const signed = parseSignedNote(note);
      return formatSignedNote(signNote(signed.text, [key], signed.signatures));
    };

    it('accepts a configured witness co-signature once, and serves the checkpoint with it', async () => {
      const latest = (await (
        await fetch(`${url}/api/v1/ledger/checkpoint`, { headers: { accept: 'application/json' } })
      ).json()) as CheckpointResponse;
      const cosigned = cosign(latest.note, witness);
      const first = await post({ note: cosigned });
      expect(first.status).toBe(201);
      expect(((await first.json()) as { added: string[] }).added).toEqual([
        `${witness.keyName}+${witness.keyId.toString(16).padStart(8, '0')}`,
      ]);
      expect((await post({ note: cosigned })).status).toBe(200);

      const res = await fetch(`${url}/api/v1/ledger/checkpoints/${latest.treeSize}`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const served = await res.text();
      expect(served).toBe(cosigned);
      const policy = {
        origin: ORIGIN,
        logKeys: [vkey],
        witnessKeys: [witness.verifier],
        witnessQuorum: 1,
      };
      expect(verifyCheckpointNote(served, policy).findings).toEqual([]);
      const json = (await (
        await fetch(`${url}/api/v1/ledger/checkpoints/${latest.treeSize}`, {
          headers: { accept: 'application/json' },
        })
      ).json()) as CheckpointResponse;
      expect(json.cosignedBy).toHaveLength(1);
    });

    it('refuses a forged co-signature, an unknown witness and a malformed note with problem+json', async () => {
      // The log's own signature only: the served note may carry the witness's already.
      const served = parseSignedNote(await (await fetch(`${url}/api/v1/ledger/checkpoint`)).text());
      const signed = { text: served.text, signatures: served.signatures.filter((x) => x.keyName === ORIGIN) };
      const latest = formatSignedNote(signed);
      const forged = formatSignedNote({
        text: signed.text,
        signatures: [
          ...signed.signatures,
          { keyName: witness.keyName, keyId: witness.keyId, signature: Buffer.alloc(64, 1) },
        ],
      });
      const cases: [unknown, number, string][] = [
        [{ note: forged }, 400, 'LEDGER.COSIGNATURE_INVALID'],
        [
          { note: cosign(latest, Ed25519NoteSigner.generate('stranger.example.org/w')) },
          403,
          'LEDGER.UNKNOWN_WITNESS',
        ],
        [{ note: 'not a note' }, 400, 'LEDGER.MALFORMED_NOTE'],
        [{}, 400, 'LEDGER.INVALID_REQUEST'],
      ];
      for (const [body, status, code] of cases) {
        const res = await post(body);
        expect([res.status, res.headers.get('content-type')?.split(';')[0]]).toEqual([
          status,
          'application/problem+json',
        ]);
        expect(((await res.json()) as { code: string }).code).toBe(code);
      }
      expect((await fetch(`${url}/api/v1/ledger/checkpoints/999999999`)).status).toBe(404);
    });
  });
});
