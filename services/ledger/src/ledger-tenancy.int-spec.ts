import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import type { UnitOfWork } from '@rf/platform-events';
import { verifyEvidencePack } from '@rf/platform-evidence-pack';
import {
  auditLedger,
  decodeAuditBundle,
  decodeLeaf,
  type Ed25519NoteVerifier,
  type JsonObject,
  verifyCheckpointNote,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import { connectEventInbox, UNIT_OF_WORK } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { CheckpointResponse, EntryResponse, InclusionProofResponse } from './api/ledger-response.views';
import { DevSigningKeyStore } from './infrastructure/signing/dev-signing-key.store';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

const ORIGIN = 'ledger.tenancy-test.resiliencefabric.io/evidence';
const T = 'io.resiliencefabric.';
// The real policy bundle, so every read is decided (and recorded) as in production.
const policy = buildSignedPolicyBundle();
const config = loadLedgerConfig(
  testServiceEnvironment('ledger', {
    RF_LEDGER_ORIGIN: ORIGIN,
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
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

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
}

/**
 * Two organisations, acme and globex, on one ledger: each reads only its own entries and the
 * platform-wide ones, by index, by leaf hash, in audit bundles and in evidence packs; the log, its
 * checkpoints and consistency proofs stay one and global.
 */
describe('ledger tenancy', () => {
  jest.setTimeout(180_000);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let vkey: Ed25519NoteVerifier;
  let windowFrom: Date;
  let windowTo: Date;
  /** Index of each of our events, by name. */
  const at: Record<'acme' | 'globex' | 'globexPlan' | 'platform', number> = {
    acme: -1,
    globex: -1,
    globexPlan: -1,
    platform: -1,
  };
  const ids: Record<keyof typeof at, string> = {
    acme: randomUUID(),
    globex: randomUUID(),
    globexPlan: randomUUID(),
    platform: randomUUID(),
  };

  const call = async (org: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(await forwardedPrincipalHeader('ledger', { role: 'operator', id: `auditor-${org}`, org })),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the response shape
  const json = <T>(reply: { bytes: Buffer }): T => JSON.parse(reply.bytes.toString('utf8')) as T;

  beforeAll(async () => {
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
    // Through the outbox and Kafka, as a service publishes them: the organisation rides in ce_organisation.
    const publish = (id: string, type: string, data: JsonObject, organisation: string | null) =>
      app.get<UnitOfWork>(UNIT_OF_WORK).run(({ publish: out }) => {
        out({ id, type: `${T}${type}.v1`, data, organisation });
        return Promise.resolve();
      });
    await publish(
      ids.acme,
      'policy.decided',
      { ...example('policy.decided'), decisionId: randomUUID() },
      'acme',
    );
    await publish(
      ids.globex,
      'policy.decided',
      { ...example('policy.decided'), decisionId: randomUUID() },
      'globex',
    );
    await publish(
      ids.globexPlan,
      'remediation.planned',
      { ...example('remediation.planned'), planId: randomUUID(), environment: 'prod' },
      'globex',
    );
    await publish(
      ids.platform,
      'policy.decided',
      { ...example('policy.decided'), decisionId: randomUUID() },
      null,
    );
    await waitFor(
      async () => {
        const rows = await db.query<{ event_id: string; index: string }[]>(
          'SELECT event_id, index FROM ledger_entries WHERE event_id = ANY($1::text[])',
          [Object.values(ids)],
        );
        const res = await fetch(`${url}/api/v1/ledger/checkpoint`, {
          headers: { accept: 'application/json' },
        });
        const cp = res.status === 200 ? ((await res.json()) as CheckpointResponse) : undefined;
        const last = Math.max(...rows.map((r) => Number(r.index)));
        if (rows.length !== 4 || cp === undefined || cp.treeSize <= last) {
          throw new Error(`${rows.length} of 4 events appended, checkpoint at ${cp?.treeSize}`);
        }
        for (const [name, id] of Object.entries(ids) as [keyof typeof at, string][]) {
          at[name] = Number(rows.find((r) => r.event_id === id)?.index);
        }
        return true;
      },
      { timeoutMs: 60_000, description: 'our events appended and checkpointed' },
    );
    windowTo = new Date(Date.now() + 1000);
  });

  afterAll(async () => {
    await app.close();
    rmSync(policy.dir, { recursive: true, force: true });
  });

  it('records the organisation of each event, bound into its leaf when there is one', async () => {
    const rows = await db.query<{ event_id: string; organisation: string | null; leaf: Buffer }[]>(
      'SELECT event_id, organisation, leaf FROM ledger_entries WHERE event_id = ANY($1::text[])',
      [Object.values(ids)],
    );
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    expect(byId.get(ids.acme)?.organisation).toBe('acme');
    expect(byId.get(ids.globex)?.organisation).toBe('globex');
    expect(byId.get(ids.globexPlan)?.organisation).toBe('globex');
    expect(byId.get(ids.platform)?.organisation).toBeNull();
    expect(decodeLeaf(byId.get(ids.acme)?.leaf ?? Buffer.alloc(0)).organisation).toBe('acme');
    expect(decodeLeaf(byId.get(ids.platform)?.leaf ?? Buffer.alloc(0))).not.toHaveProperty('organisation');
  });

  it("serves an organisation its own and platform-wide entries, and another's as not found", async () => {
    const own = json<EntryResponse>(await call('acme', 'GET', `/api/v1/ledger/entries/${at.acme}`));
    expect(own).toMatchObject({ index: at.acme, content: { eventId: ids.acme, organisation: 'acme' } });
    expect((await call('acme', 'GET', `/api/v1/ledger/entries/${at.platform}`)).status).toBe(200);

    const foreign = await call('acme', 'GET', `/api/v1/ledger/entries/${at.globex}`);
    const missing = await call('acme', 'GET', '/api/v1/ledger/entries/99999999');
    expect(foreign.status).toBe(404);
    expect(foreign.type).toContain('application/problem+json');
    const shape = (p: Problem & { correlationId?: string; instance?: string; metadata?: unknown }) => ({
      status: p.status,
      code: p.code,
      detail: p.detail,
    });
    expect(shape(json(foreign))).toEqual(shape(json(missing)));
    expect((await call('globex', 'GET', `/api/v1/ledger/entries/${at.globex}`)).status).toBe(200);

    // An inclusion proof serves the leaf: only for the caller's organisation's entries too.
    const globexEntry = json<EntryResponse>(
      await call('globex', 'GET', `/api/v1/ledger/entries/${at.globex}`),
    );
    const byLeaf = (org: string) =>
      call(org, 'GET', `/api/v1/ledger/proof/inclusion?leaf_hash=${globexEntry.leafHash}`);
    const refused = await byLeaf('acme');
    expect(refused.status).toBe(404);
    expect(json<Problem>(refused).code).toBe('LEDGER.ENTRY_NOT_FOUND');
    const proof = json<InclusionProofResponse>(await byLeaf('globex'));
    const root = verifyCheckpointNote(proof.checkpoint ?? '', { origin: ORIGIN, logKeys: [vkey] }).checkpoint
      ?.rootHash;
    expect(
      verifyInclusion(
        proof.index,
        proof.treeSize,
        Buffer.from(proof.leafHash, 'hex'),
        proof.proof.map((p) => Buffer.from(p, 'hex')),
        root ?? Buffer.alloc(32),
      ).valid,
    ).toBe(true);
    // Without a caller there is no organisation to read in.
    expect(
      (await fetch(`${url}/api/v1/ledger/proof/inclusion?leaf_hash=${globexEntry.leafHash}`)).status,
    ).toBe(401);

    // The reads were decided in, and recorded for, the caller's organisation.
    const decided = await db.query<{ organisation: string | null }[]>(
      `SELECT DISTINCT organisation FROM outbox
        WHERE event_type = $1 AND data->'actor'->>'id' = 'auditor-acme'`,
      [`${T}policy.decided.v1`],
    );
    expect(decided).toEqual([{ organisation: 'acme' }]);
  });

  it("keeps audit bundles to the caller's organisation, with the global checkpoints and proofs", async () => {
    const bundle = decodeAuditBundle(json(await call('acme', 'GET', '/api/v1/ledger/audit-bundle')));
    const indexes = bundle.entries.map((e) => e.index);
    expect(indexes).toEqual(expect.arrayContaining([at.acme, at.platform]));
    expect(indexes).not.toContain(at.globex);
    expect(indexes).not.toContain(at.globexPlan);
    expect(bundle).toMatchObject({ organisation: 'acme', complete: false });
    const report = auditLedger({ ...bundle, policy: { origin: ORIGIN, logKeys: [vkey] } });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.inclusionProofsVerified).toBe(bundle.entries.length);
    // Checkpoints and consistency proofs are the one log's, for every organisation.
    const first = json<{ proof: string[] }>(
      await call('globex', 'GET', `/api/v1/ledger/proof/consistency?first=1&second=${bundle.treeSize}`),
    );
    const second = json<{ proof: string[] }>(
      await call('acme', 'GET', `/api/v1/ledger/proof/consistency?first=1&second=${bundle.treeSize}`),
    );
    expect(first).toEqual(second);
  });

  it("packs an organisation's evidence only, still verifiable against the global log", async () => {
    const packOf = async (org: string) => {
      const res = await call(org, 'POST', '/api/v1/ledger/evidence-packs', {
        from: windowFrom.toISOString(),
        to: windowTo.toISOString(),
        environment: 'prod',
      });
      expect(res.status).toBe(200);
      const verified = verifyEvidencePack(res.bytes, { trustedKeys: [vkey], trustEmbeddedKeys: false });
      expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
      if (verified.index === undefined) throw new Error('no index');
      return verified.index;
    };
    const acme = await packOf('acme');
    expect(acme.scope.organisation).toBe('acme');
    const acmeIds = acme.entries.map((e) => e.eventId);
    expect(acmeIds).toEqual(expect.arrayContaining([ids.acme, ids.platform]));
    expect(acmeIds).not.toContain(ids.globex);
    expect(acmeIds).not.toContain(ids.globexPlan);
    expect(new Set(acme.entries.map((e) => e.organisation ?? null))).toEqual(new Set(['acme', null]));

    const globex = await packOf('globex');
    const globexIds = globex.entries.map((e) => e.eventId);
    expect(globexIds).toEqual(expect.arrayContaining([ids.globex, ids.globexPlan, ids.platform]));
    expect(globexIds).not.toContain(ids.acme);
  });
});
