import type { FetchedDocumentOutcome } from '@rf/platform-evidence-pack';
import { readEvidencePackArchive, verifyEvidencePack } from '@rf/platform-evidence-pack';
import { Ed25519NoteSigner, type JsonObject } from '@rf/platform-ledger-proof';
import { createHash } from 'node:crypto';
import { InMemoryCosignatureStore } from '../../../infrastructure/persistence/in-memory-cosignature.store';
import { InMemoryLedgerRepository } from '../../../infrastructure/persistence/in-memory-ledger.repository';
import { InMemoryPayloadStore } from '../../../infrastructure/persistence/in-memory-payload.store';
import { AppendEntriesCommand } from '../../commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from '../../commands/append-entries/append-entries.handler';
import { PublishCheckpointCommand } from '../../commands/publish-checkpoint/publish-checkpoint.command';
import { PublishCheckpointHandler } from '../../commands/publish-checkpoint/publish-checkpoint.handler';
import type { DriftEvidenceSource } from '../../ports/drift-evidence-source.port';
import { GenerateEvidencePackHandler } from './generate-evidence-pack.handler';
import { GenerateEvidencePackQuery } from './generate-evidence-pack.query';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const T = 'io.resiliencefabric.';
const SBOM = Buffer.from('{"spdxVersion":"SPDX-2.3","name":"base"}\n');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The drift service as the handler sees it: documents by path, and who asked. */
class RecordingDriftSource implements DriftEvidenceSource {
  readonly calls: string[] = [];
  sbom(id: string, credential: string | undefined): Promise<FetchedDocumentOutcome> {
    this.calls.push(`sbom ${id} as ${credential}`);
    return Promise.resolve(
      id === 'img-1' ? { status: 'found', bytes: SBOM } : { status: 'not_found', reason: '404' },
    );
  }
  driftReport(env: string, credential: string | undefined): Promise<FetchedDocumentOutcome> {
    this.calls.push(`report ${env} as ${credential}`);
    return Promise.resolve({ status: 'found', bytes: Buffer.from('{"summary":{"environment":"prod"}}') });
  }
  driftTrend(
    env: string,
    from: Date,
    to: Date,
    credential: string | undefined,
  ): Promise<FetchedDocumentOutcome> {
    this.calls.push(`trend ${env} ${from.toISOString()} ${to.toISOString()} as ${credential}`);
    return Promise.resolve({ status: 'unavailable', reason: 'timed out' });
  }
}

describe('GenerateEvidencePackHandler', () => {
  const key = Ed25519NoteSigner.generate(ORIGIN);
  let now = new Date('2026-11-01T00:00:00Z');
  const clock = { now: () => now };
  const repository = new InMemoryLedgerRepository();
  const payloads = new InMemoryPayloadStore();
  const append = new AppendEntriesHandler(repository, payloads, clock);
  const event = (n: number, type: string, payload: JsonObject, organisation: string | null = 'acme') => ({
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: `${T}${type}.v1`,
    subject: null,
    time: now.toISOString(),
    payload,
    organisation,
  });
  const noHistories = { history: () => Promise.reject(new Error('no workflows here')) };

  beforeAll(async () => {
    // Published a month before the window; planned as a target inside it.
    await append.execute(
      new AppendEntriesCommand([
        event(1, 'image.published', {
          imageVersionId: 'img-1',
          family: 'base',
          version: '1',
          sbom: { format: 'spdx-2.3+json', uri: 's3://sboms/base/1', sha256: sha256(SBOM) },
        }),
      ]),
    );
    now = new Date('2026-12-02T00:00:00Z');
    await append.execute(
      new AppendEntriesCommand([
        event(2, 'remediation.planned', { planId: 'p-1', environment: 'prod', imageVersionId: 'img-1' }),
        event(3, 'image.promoted', { imageVersionId: 'img-2', family: 'base', version: '2' }),
        // Another organisation's plan in the same environment and window, and a platform-wide fact.
        event(4, 'remediation.planned', { planId: 'p-2', environment: 'prod' }, 'globex'),
        event(5, 'backup.completed', { backupId: 'b-1' }, null),
      ]),
    );
    await new PublishCheckpointHandler(repository, [key], clock, ORIGIN).execute(
      new PublishCheckpointCommand(),
    );
  });

  const window = (credential?: string, organisation = 'acme') =>
    new GenerateEvidencePackQuery(
      new Date('2026-12-01T00:00:00Z'),
      new Date('2026-12-03T00:00:00Z'),
      'prod',
      organisation,
      credential,
    );

  it('pulls in the publication that pins an SBOM the window names, and reads the drift service as the caller', async () => {
    const drift = new RecordingDriftSource();
    const handler = new GenerateEvidencePackHandler(
      repository,
      payloads,
      noHistories,
      new InMemoryCosignatureStore(),
      [key.verifier.toVkey()],
      drift,
    );
    const pack = await handler.execute(window('token-for-drift'));
    // acme's entries and the platform-wide one; globex's plan (index 3) is not in acme's pack.
    expect(pack.index.entries.map((e) => e.index)).toEqual([0, 1, 2, 4]);
    expect(pack.index.scope.organisation).toBe('acme');
    expect(pack.index.entries.map((e) => e.organisation)).toEqual(['acme', 'acme', 'acme', undefined]);
    expect(pack.index.sbomDocuments).toEqual([
      { imageVersionId: 'img-1', path: 'sboms/img-1.spdx.json', sha256: sha256(SBOM), ledgerIndex: 0 },
    ]);
    expect(pack.index.sections.sboms.missing).toEqual([{ item: 'SBOM of img-2', reason: 'not_found: 404' }]);
    expect(pack.index.sections.driftReports).toMatchObject({
      status: 'partial',
      files: ['reports/drift.json', 'reports/drift.csv'],
      missing: [{ item: 'drift trend', reason: 'unavailable: timed out' }],
    });
    expect(drift.calls).toEqual([
      'sbom img-1 as token-for-drift',
      'sbom img-2 as token-for-drift',
      'report prod as token-for-drift',
      'trend prod 2026-12-01T00:00:00.000Z 2026-12-03T00:00:00.000Z as token-for-drift',
    ]);
    expect(readEvidencePackArchive(pack.archive).get('sboms/img-1.spdx.json')).toEqual(SBOM);
    const verified = verifyEvidencePack(pack.archive, {
      trustedKeys: [key.verifier],
      trustEmbeddedKeys: false,
    });
    expect(verified.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });

  it("packs another organisation's entries only for that organisation", async () => {
    const handler = new GenerateEvidencePackHandler(
      repository,
      payloads,
      noHistories,
      new InMemoryCosignatureStore(),
      [key.verifier.toVkey()],
      undefined,
    );
    const pack = await handler.execute(window(undefined, 'globex'));
    expect(pack.index.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(pack.index.entries.map((e) => e.organisation)).toEqual(['globex', undefined]);
    const verified = verifyEvidencePack(pack.archive, {
      trustedKeys: [key.verifier],
      trustEmbeddedKeys: false,
    });
    expect(verified.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('marks drift reports absent and SBOMs missing when no drift service is configured', async () => {
    const handler = new GenerateEvidencePackHandler(
      repository,
      payloads,
      noHistories,
      new InMemoryCosignatureStore(),
      [key.verifier.toVkey()],
      undefined,
    );
    const pack = await handler.execute(window());
    expect(pack.index.sections.driftReports.status).toBe('absent');
    expect(pack.index.sections.sboms.status).toBe('partial');
    expect(pack.index.sections.sboms.missing?.[0]?.reason).toMatch(/RF_LEDGER_DRIFT_URL/);
  });
});
