import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { delegatedPrincipalHeader, PRINCIPAL_HEADER } from '@rf/platform-auth';
import { forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { processEnvironment } from '@rf/platform-config';
import type { UnitOfWork } from '@rf/platform-events';
import {
  type EvidencePackIndex,
  readEvidencePackArchive,
  verifyEvidencePack,
  writeEvidencePackArchive,
} from '@rf/platform-evidence-pack';
import type { Ed25519NoteVerifier, JsonObject } from '@rf/platform-ledger-proof';
import { connectEventInbox, UNIT_OF_WORK } from '@rf/platform-runtime';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { CheckpointResponse } from './api/ledger-response.views';
import { DevSigningKeyStore } from './infrastructure/signing/dev-signing-key.store';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

const ROOT = join(__dirname, '../../..');
const ORIGIN = 'ledger.pack-drift-test.resiliencefabric.io/evidence';
const RUN = randomBytes(3).toString('hex');
const FAMILY = `it-${RUN}-evidence`;
const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A port the kernel just handed out; a service's config takes a port number, not 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const example = (type: string): JsonObject =>
  JSON.parse(
    readFileSync(join(ROOT, `contracts/events/examples/${type}.v1.valid.json`), 'utf8'),
  ) as JsonObject;

/** An SPDX 2.3 document as an image build writes it. */
const SBOM = JSON.stringify({
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: FAMILY,
  documentNamespace: `https://sboms.example.com/${FAMILY}/1.0.0-${RUN}`,
  creationInfo: { created: '2026-11-22T03:10:00Z', creators: ['Tool: syft-1.16.0'] },
  packages: [
    { SPDXID: 'SPDXRef-image', name: FAMILY, versionInfo: '1.0.0', downloadLocation: 'NOASSERTION' },
    { SPDXID: 'SPDXRef-p0', name: 'openssl', versionInfo: '3.0.2', downloadLocation: 'NOASSERTION' },
  ],
  relationships: [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-image' },
  ],
});

/**
 * Evidence packs with the documents the drift service holds: the real drift service runs as its own
 * process (services never import each other), publishes an image with its SBOM, and the ledger reads
 * the SBOM and the environment's drift report and trend from it as the caller the gateway forwarded.
 */
describe('evidence packs with SBOM documents and drift reports from the drift service', () => {
  jest.setTimeout(240_000);
  let drift: ChildProcess;
  let driftUrl: string;
  let output = '';
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let vkey: Ed25519NoteVerifier;
  let imageVersionId: string;
  let windowFrom: Date;
  let windowTo: Date;
  const backupEventId = randomUUID();
  const modeEventId = randomUUID();
  const dir = mkdtempSync(join(tmpdir(), 'rf-ledger-drift-'));

  beforeAll(async () => {
    // The drift service's gate decides image publication with a signed policy bundle, as in production.
    const policyKey = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'policy.pem'), policyKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const bundlePath = join(dir, 'bundle.tar.gz');
    execFileSync(
      join(ROOT, 'contracts/policies/build.sh'),
      ['--no-record', '--sign', join(dir, 'policy.pem'), bundlePath],
      { stdio: 'pipe' },
    );
    const policy = {
      RF_POLICY_MODE: 'prod',
      RF_POLICY_BUNDLE: bundlePath,
      RF_POLICY_PUBLIC_KEY: policyKey.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    const port = await freePort();
    driftUrl = `http://127.0.0.1:${port}`;
    drift = spawn(process.execPath, ['-r', '@swc-node/register', 'services/drift/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...processEnvironment(),
        ...testServiceEnvironment('drift', {
          RF_HTTP_PORT: String(port),
          RF_IMAGES_SIGNATURE_MODE: 'warn',
          ...policy,
        }),
        SWC_NODE_PROJECT: 'tsconfig.json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    drift.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    drift.stderr?.on('data', (c: Buffer) => (output += c.toString()));

    const config = loadLedgerConfig(
      testServiceEnvironment('ledger', {
        RF_LEDGER_ORIGIN: ORIGIN,
        RF_LEDGER_DRIFT_URL: driftUrl,
        ...policy,
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectEventInbox(app, config);
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = app.get(DataSource);
    vkey = (await new DevSigningKeyStore(db).loadOrCreate(ORIGIN)).signer.verifier;

    await waitFor(
      async () => {
        if (drift.exitCode !== null) throw new Error(`the drift service exited: ${output.slice(-2000)}`);
        const res = await fetch(`${driftUrl}/readyz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'the drift service to be ready' },
    );

    windowFrom = new Date(Date.now() - 1000);
    // An engineer publishes an image with its SBOM; the drift service announces image.published.
    const manifest = JSON.stringify({
      family: FAMILY,
      version: '1.0.0',
      os: { name: 'ubuntu', version: '22.04' },
      contractRef: 'contracts/images/image.contract.yaml@1',
      artifacts: [{ platform: 'simulated', imageRef: `sim:${FAMILY}:1.0.0` }],
      sbom: { format: 'spdx-2.3+json', uri: `s3://rf-sboms/${FAMILY}/1.0.0.spdx.json`, sha256: sha256(SBOM) },
      hardening: { profile: 'cis', level: 2, score: 95 },
      provenance: { slsaLevel: 3, builderId: 'https://github.com/actions/runner' },
      builtAt: '2026-11-22T03:10:00Z',
    });
    const published = await fetch(`${driftUrl}/api/v1/images`, {
      method: 'POST',
      headers: {
        ...(await forwardedPrincipalHeader('drift', { role: 'engineer' })),
        'content-type': 'application/json',
      },
      body: JSON.stringify({ manifest, sbom: SBOM }),
    });
    const body = await published.text();
    if (published.status !== 201) throw new Error(`publish: ${published.status} ${body}`);
    imageVersionId = (JSON.parse(body) as { id: string }).id;

    // A backup and a service-mode change, which the ledger keeps as evidence like any decision or action.
    await app.get<UnitOfWork>(UNIT_OF_WORK).run(({ publish }) => {
      publish({
        id: backupEventId,
        type: 'io.resiliencefabric.backup.completed.v1',
        data: example('backup.completed'),
      });
      publish({
        id: modeEventId,
        type: 'io.resiliencefabric.service.mode.changed.v1',
        data: example('service.mode.changed'),
      });
      return Promise.resolve();
    });

    await waitFor(
      async () => {
        const rows = await db.query<{ index: string }[]>(
          `SELECT e.index FROM ledger_entries e JOIN ledger_payloads p ON p.ref = e.payload_ref
            WHERE e.event_id = ANY($1::text[]) OR p.content->>'imageVersionId' = $2`,
          [[backupEventId, modeEventId], imageVersionId],
        );
        const res = await fetch(`${url}/api/v1/ledger/checkpoint`, {
          headers: { accept: 'application/json' },
        });
        const cp = res.status === 200 ? ((await res.json()) as CheckpointResponse) : undefined;
        const last = Math.max(...rows.map((r) => Number(r.index)));
        if (rows.length === 3 && cp !== undefined && cp.treeSize > last) return true;
        throw new Error(`${rows.length} of 3 events appended, checkpoint at ${cp?.treeSize}`);
      },
      { timeoutMs: 90_000, description: 'the publication, the backup and the mode change checkpointed' },
    );
    windowTo = new Date(Date.now() + 1000);
  });

  afterAll(async () => {
    await app.close();
    if (drift.exitCode === null) {
      const exited = new Promise((resolve) => drift.once('exit', resolve));
      drift.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // As the gateway forwards an operator: signed for the ledger, and for the drift service it calls.
  const pack = async (delegated: boolean) => {
    const forDrift = delegated ? await forwardedPrincipalHeader('drift', { role: 'operator' }) : {};
    return fetch(`${url}/api/v1/ledger/evidence-packs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await forwardedPrincipalHeader('ledger', { role: 'operator' })),
        ...(delegated ? { [delegatedPrincipalHeader('drift')]: forDrift[PRINCIPAL_HEADER] ?? '' } : {}),
      },
      body: JSON.stringify({
        from: windowFrom.toISOString(),
        to: windowTo.toISOString(),
        environment: 'prod',
      }),
    });
  };

  it('keeps a backup and a service-mode change as ledger entries in the pack', async () => {
    const res = await pack(true);
    expect(res.status).toBe(200);
    const verified = verifyEvidencePack(Buffer.from(await res.arrayBuffer()), {
      trustedKeys: [vkey],
      trustEmbeddedKeys: false,
    });
    const typeOf = (id: string) => verified.index?.entries.find((e) => e.eventId === id)?.type;
    expect(typeOf(backupEventId)).toBe('io.resiliencefabric.backup.completed.v1');
    expect(typeOf(modeEventId)).toBe('io.resiliencefabric.service.mode.changed.v1');
  });

  it('holds the SBOM document and the drift reports, verifies, and fails once the SBOM is swapped', async () => {
    const res = await pack(true);
    expect(res.status).toBe(200);
    const archive = Buffer.from(await res.arrayBuffer());
    const verified = verifyEvidencePack(archive, { trustedKeys: [vkey], trustEmbeddedKeys: false });
    expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const index = verified.index as EvidencePackIndex;
    const files = readEvidencePackArchive(archive);

    const path = `sboms/${imageVersionId}.spdx.json`;
    expect(index.sections.sboms.files).toContain(path);
    expect(files.get(path)?.toString('utf8')).toBe(SBOM);
    const published = index.entries.find(
      (e) =>
        e.type === 'io.resiliencefabric.image.published.v1' &&
        e.payload.path !== null &&
        files.get(e.payload.path)?.toString('utf8').includes(imageVersionId),
    );
    expect(index.sbomDocuments).toContainEqual({
      imageVersionId,
      path,
      sha256: sha256(SBOM),
      ledgerIndex: published?.index,
    });

    expect(index.sections.driftReports).toEqual({
      status: 'present',
      files: [
        'reports/drift.json',
        'reports/drift.csv',
        'reports/drift-trend.json',
        'reports/drift-trend.csv',
      ],
    });
    const report = JSON.parse(files.get('reports/drift.json')?.toString('utf8') ?? '{}') as {
      filter: { environment?: string };
      summary: unknown;
    };
    expect(report.filter.environment).toBe('prod');
    expect(report.summary).toBeDefined();
    expect(files.get('reports/drift.csv')?.toString('utf8').split('\r\n')[0]).toBe(
      'kind,environment,platform,site,family,totalAssets,compliantAssets,outdatedCount,coveragePct,unmanagedAssets,stoppedAssets,calculatedAt',
    );
    const trend = JSON.parse(files.get('reports/drift-trend.json')?.toString('utf8') ?? '{}') as {
      from: string;
      to: string;
    };
    expect([trend.from, trend.to]).toEqual([windowFrom.toISOString(), windowTo.toISOString()]);

    // Swap the SBOM inside the ZIP, and rewrite the index's hashes to match, as a forger would.
    const forged = Buffer.from(SBOM.replace('3.0.2', '3.0.13'));
    files.set(path, forged);
    const rewritten = { ...index } as EvidencePackIndex;
    rewritten.files = index.files.map((f) =>
      f.path === path ? { ...f, sha256: sha256(forged), bytes: forged.length } : f,
    );
    rewritten.sbomDocuments = (index.sbomDocuments ?? []).map((d) =>
      d.path === path ? { ...d, sha256: sha256(forged) } : d,
    );
    files.set('index.json', Buffer.from(JSON.stringify(rewritten)));
    const tampered = verifyEvidencePack(writeEvidencePackArchive(files), {
      trustedKeys: [vkey],
      trustEmbeddedKeys: false,
    });
    expect(tampered.ok).toBe(false);
    expect(tampered.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
      'SBOM_DIGEST_MISMATCH',
    ]);
  });

  it('pins the SBOM of a version planned in the window with its publication from before the window', async () => {
    const from = new Date();
    const planEventId = randomUUID();
    await app.get<UnitOfWork>(UNIT_OF_WORK).run(({ publish }) => {
      publish({
        id: planEventId,
        type: 'io.resiliencefabric.remediation.planned.v1',
        data: {
          ...example('remediation.planned'),
          planId: randomUUID(),
          environment: 'prod',
          imageVersionId,
        },
      });
      return Promise.resolve();
    });
    await waitFor(
      async () => {
        const [row] = await db.query<{ index: string }[]>(
          'SELECT index FROM ledger_entries WHERE event_id = $1',
          [planEventId],
        );
        const res = await fetch(`${url}/api/v1/ledger/checkpoint`, {
          headers: { accept: 'application/json' },
        });
        const cp = res.status === 200 ? ((await res.json()) as CheckpointResponse) : undefined;
        return row !== undefined && cp !== undefined && cp.treeSize > Number(row.index) ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the plan appended and checkpointed' },
    );
    const forDrift = await forwardedPrincipalHeader('drift', { role: 'operator' });
    const res = await fetch(`${url}/api/v1/ledger/evidence-packs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await forwardedPrincipalHeader('ledger', { role: 'operator' })),
        [delegatedPrincipalHeader('drift')]: forDrift[PRINCIPAL_HEADER] ?? '',
      },
      body: JSON.stringify({
        from: from.toISOString(),
        to: new Date(Date.now() + 1000).toISOString(),
        environment: 'prod',
      }),
    });
    expect(res.status).toBe(200);
    const verified = verifyEvidencePack(Buffer.from(await res.arrayBuffer()), {
      trustedKeys: [vkey],
      trustEmbeddedKeys: false,
    });
    expect(verified.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const index = verified.index as EvidencePackIndex;
    const plan = index.entries.find((e) => e.eventId === planEventId);
    const doc = index.sbomDocuments?.find((d) => d.imageVersionId === imageVersionId);
    expect(doc).toMatchObject({ sha256: sha256(SBOM) });
    const publication = index.entries.find((e) => e.index === doc?.ledgerIndex);
    expect(publication?.type).toBe('io.resiliencefabric.image.published.v1');
    expect(publication?.index).toBeLessThan(plan?.index ?? 0);
  });

  it('marks SBOMs and drift reports as refused when no principal for the drift service is forwarded', async () => {
    const res = await pack(false);
    expect(res.status).toBe(200);
    const archive = Buffer.from(await res.arrayBuffer());
    const verified = verifyEvidencePack(archive, { trustedKeys: [vkey], trustEmbeddedKeys: false });
    expect(verified.ok).toBe(true);
    const index = verified.index as EvidencePackIndex;
    expect(index.sections.driftReports.status).toBe('absent');
    expect(index.sections.driftReports.reason).toMatch(/^drift report refused: /);
    expect(index.sections.sboms.status).toBe('partial');
    expect(index.sections.sboms.missing).toContainEqual({
      item: `SBOM of ${imageVersionId}`,
      reason: expect.stringMatching(/^refused: /) as unknown,
    });
  });
});
