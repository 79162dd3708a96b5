import { Ed25519NoteSigner, formatCheckpoint, formatSignedNote, signNote } from '@rf/platform-ledger-proof';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import type { EvidencePackIndex } from './evidence-pack-index.document';
import { readEvidencePackArchive, writeEvidencePackArchive } from './evidence-pack.archive';
import { buildEvidencePack, imageVersionIdsOf, workflowIdsOf } from './evidence-pack.builder';
import { verifyEvidencePack } from './evidence-pack.verifier';
import {
  SAMPLE_IMAGE_VERSION_ID,
  SAMPLE_PACK_EVENTS,
  SAMPLE_PACK_ORIGIN,
  SAMPLE_SBOM,
  samplePackInput,
  samplePackLogKey,
} from './testing/sample-evidence-pack';

const logKey = samplePackLogKey;
const ORIGIN = SAMPLE_PACK_ORIGIN;
const events = SAMPLE_PACK_EVENTS;
const packInput = samplePackInput;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const SBOM_PATH = 'sboms/ubuntu-22.04_1.2.3.spdx.json';

const trust = { trustedKeys: [logKey.verifier], trustEmbeddedKeys: false };

/** Rewrites the archive after `change` edits its files, keeping everything else. */
function tamper(archive: Buffer, change: (files: Map<string, Buffer>) => void): Buffer {
  const files = readEvidencePackArchive(archive);
  change(files);
  return writeEvidencePackArchive(files);
}

function editIndex(files: Map<string, Buffer>, edit: (index: EvidencePackIndex) => void): void {
  const index = JSON.parse((files.get('index.json') as Buffer).toString('utf8')) as EvidencePackIndex;
  edit(index);
  files.set('index.json', Buffer.from(JSON.stringify(index)));
}

const codes = (archive: Buffer, options = trust) =>
  verifyEvidencePack(archive, options)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.code);

describe('evidence pack', () => {
  const pack = buildEvidencePack(packInput());

  it('verifies offline with the log key: files, checkpoint, every inclusion proof and payload', () => {
    const result = verifyEvidencePack(pack.archive, trust);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.inclusionProofsVerified).toBe(events.length);
    expect(result.payloadsVerified).toBe(events.length);
    expect(result.filesVerified).toBe(pack.index.files.length);
  });

  it('holds the sections the entries call for and says which are incomplete and why', () => {
    const paths = pack.index.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'checkpoint.note',
        'payloads/0.json',
        'policy/decisions.json',
        'policy/decisions.csv',
        'sboms/ubuntu-22.04_1.2.3.spdx.json',
        'reports/compliance.json',
        'reports/compliance.csv',
        'workflows/remediation_plan-1_wave-0.history.json',
      ]),
    );
    expect(pack.index.sections.driftReports).toEqual({
      status: 'absent',
      files: [],
      reason: 'no drift source',
    });
    expect(pack.index.sections.sboms).toEqual({
      status: 'present',
      files: ['sboms/ubuntu-22.04_1.2.3.spdx.json'],
    });
    expect(pack.index.sbomDocuments).toEqual([
      {
        imageVersionId: SAMPLE_IMAGE_VERSION_ID,
        path: 'sboms/ubuntu-22.04_1.2.3.spdx.json',
        sha256: sha256(SAMPLE_SBOM),
        ledgerIndex: 1,
      },
    ]);
    expect(readEvidencePackArchive(pack.archive).get('sboms/ubuntu-22.04_1.2.3.spdx.json')).toEqual(
      SAMPLE_SBOM,
    );
    expect(pack.index.sections.workflowHistories.status).toBe('present');
    expect(pack.index.entries[2]?.environment).toBe('prod');
    const csv = readEvidencePackArchive(pack.archive).get('reports/compliance.csv')?.toString('utf8');
    expect(csv?.split('\r\n')[1]).toBe(
      '4,s-1,asset,asset-1,0.9,0.85,compliant,2026-11-22T10:02:00Z,rf:image-signed,1,pass,1',
    );
  });

  it('lists a workflow it could not fetch as missing, with the reason', () => {
    const partial = buildEvidencePack(
      packInput({
        workflowHistories: new Map([
          [
            'remediation/plan-1/wave-0',
            { status: 'not_found', reason: 'no such workflow in namespace default' },
          ],
        ]),
      }),
    );
    expect(partial.index.sections.workflowHistories).toEqual({
      status: 'partial',
      files: [],
      missing: [
        {
          item: 'workflow remediation/plan-1/wave-0',
          reason: 'not_found: no such workflow in namespace default',
        },
      ],
    });
    expect(workflowIdsOf(packInput().entries)).toEqual(['remediation/plan-1/wave-0']);
  });

  it('packs SBOM documents of every image version the entries name, and never one the ledger contradicts', () => {
    expect(imageVersionIdsOf(packInput().entries)).toEqual([SAMPLE_IMAGE_VERSION_ID]);
    const swapped = buildEvidencePack(
      packInput({
        sbomDocuments: new Map([
          [SAMPLE_IMAGE_VERSION_ID, { status: 'found', bytes: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }],
        ]),
      }),
    );
    expect(swapped.index.sections.sboms.status).toBe('partial');
    expect(swapped.index.sections.sboms.missing?.[0]?.reason).toMatch(/does not hash to the digest/);
    expect(swapped.index.sbomDocuments).toEqual([]);
    const unreachable = buildEvidencePack(
      packInput({
        sbomDocuments: new Map([
          [SAMPLE_IMAGE_VERSION_ID, { status: 'unavailable', reason: 'connect ECONNREFUSED' }],
        ]),
      }),
    );
    expect(unreachable.index.sections.sboms).toEqual({
      status: 'partial',
      files: [],
      missing: [{ item: `SBOM of ${SAMPLE_IMAGE_VERSION_ID}`, reason: 'unavailable: connect ECONNREFUSED' }],
    });
    expect(verifyEvidencePack(unreachable.archive, trust).ok).toBe(true);
  });

  it('detects a swapped SBOM document, even when the index is rewritten to match it', () => {
    const forged = Buffer.from('{"spdxVersion":"SPDX-2.3","packages":[]}\n');
    const naive = tamper(pack.archive, (f) => f.set(SBOM_PATH, forged));
    expect(codes(naive)).toEqual(['FILE_HASH_MISMATCH', 'SBOM_DIGEST_MISMATCH']);
    const rewritten = tamper(pack.archive, (f) => {
      f.set(SBOM_PATH, forged);
      editIndex(f, (index) => {
        const file = index.files.find((x) => x.path === SBOM_PATH);
        if (file) file.sha256 = sha256(forged);
        const doc = index.sbomDocuments?.[0];
        if (doc) Object.assign(doc, { sha256: sha256(forged) });
      });
    });
    expect(codes(rewritten)).toEqual(['SBOM_DIGEST_MISMATCH']);
    // Claiming the document has no publication in the pack does not help: the proven payload pins it.
    const unpinned = tamper(pack.archive, (f) => {
      f.set(SBOM_PATH, forged);
      editIndex(f, (index) => {
        const file = index.files.find((x) => x.path === SBOM_PATH);
        if (file) file.sha256 = sha256(forged);
        index.sbomDocuments = [
          { imageVersionId: SAMPLE_IMAGE_VERSION_ID, path: SBOM_PATH, sha256: null, ledgerIndex: null },
        ];
      });
    });
    expect(codes(unpinned)).toEqual(['SBOM_DIGEST_MISMATCH']);
    const undescribed = tamper(pack.archive, (f) => editIndex(f, (index) => (index.sbomDocuments = [])));
    expect(codes(undescribed)).toEqual(['FILE_UNLISTED']);
  });

  it('warns about an SBOM document whose publication is not in the pack', () => {
    const input = packInput();
    const promoted = buildEvidencePack({
      ...input,
      entries: input.entries.filter((e) => e.index !== 1),
      sbomDocuments: new Map(),
    });
    expect(promoted.index.sections.sboms.status).toBe('empty');
    const planned = packInput();
    const withPlan = buildEvidencePack({
      ...planned,
      entries: planned.entries.map((e) =>
        e.index === 2
          ? {
              ...e,
              payload: {
                state: 'present',
                content: { planId: 'plan-1', environment: 'prod', imageVersionId: 'other@2' },
              },
            }
          : e,
      ),
      sbomDocuments: new Map([
        [SAMPLE_IMAGE_VERSION_ID, { status: 'found', bytes: SAMPLE_SBOM }],
        ['other@2', { status: 'found', bytes: Buffer.from('{"spdxVersion":"SPDX-2.3"}') }],
      ]),
    });
    expect(withPlan.index.sbomDocuments?.map((d) => [d.imageVersionId, d.ledgerIndex])).toEqual([
      [SAMPLE_IMAGE_VERSION_ID, 1],
      ['other@2', null],
    ]);
    // The plan's payload was changed above, so its leaf no longer matches: only the SBOM findings matter here.
    const findings = verifyEvidencePack(withPlan.archive, trust).findings.filter((f) =>
      f.code.startsWith('SBOM'),
    );
    expect(findings.map((f) => [f.severity, f.code])).toEqual([['warning', 'SBOM_UNPINNED']]);
  });

  it('holds drift reports in JSON and CSV, and marks what the drift service could not give', () => {
    const report = {
      calculatedAt: '2026-11-22T10:00:00Z',
      filter: { environment: 'prod' },
      summary: {
        environment: 'prod',
        platform: null,
        site: null,
        totalAssets: 10,
        compliantAssets: 8,
        outdatedCount: 2,
        coveragePct: 80,
        stopped: { total: 1, compliant: 1, outdated: 0 },
        unmanagedAssets: 0,
        outdatedAssets: [],
        calculatedAt: '2026-11-22T10:00:00Z',
      },
      scopes: [],
      families: [
        {
          family: 'ubuntu-22.04',
          totalAssets: 10,
          compliantAssets: 8,
          outdatedCount: 2,
          coveragePct: 80,
          stopped: { total: 1, compliant: 1, outdated: 0 },
        },
      ],
    };
    const trend = {
      scopeId: 'env=prod',
      from: '2026-11-22T00:00:00Z',
      to: '2026-11-23T00:00:00Z',
      points: [{ takenAt: 1, total: 10, compliant: 8, outdated: 2 }],
    };
    const found = (doc: unknown) => ({ status: 'found' as const, bytes: Buffer.from(JSON.stringify(doc)) });
    const full = buildEvidencePack(
      packInput({ driftReports: { status: 'fetched', report: found(report), trend: found(trend) } }),
    );
    expect(full.index.sections.driftReports).toEqual({
      status: 'present',
      files: [
        'reports/drift.json',
        'reports/drift.csv',
        'reports/drift-trend.json',
        'reports/drift-trend.csv',
      ],
    });
    const files = readEvidencePackArchive(full.archive);
    expect(JSON.parse(files.get('reports/drift.json')?.toString('utf8') ?? '')).toEqual(report);
    expect(files.get('reports/drift.csv')?.toString('utf8').split('\r\n').slice(1, 3)).toEqual([
      'summary,prod,,,,10,8,2,80,0,1,2026-11-22T10:00:00Z',
      'family,,,,ubuntu-22.04,10,8,2,80,,1,',
    ]);
    expect(files.get('reports/drift-trend.csv')?.toString('utf8').split('\r\n').slice(0, 2)).toEqual([
      'compliant,outdated,takenAt,total',
      '8,2,1,10',
    ]);
    expect(verifyEvidencePack(full.archive, trust).ok).toBe(true);

    const half = buildEvidencePack(
      packInput({
        driftReports: {
          status: 'fetched',
          report: found(report),
          trend: { status: 'unavailable', reason: 'timed out' },
        },
      }),
    );
    expect(half.index.sections.driftReports.status).toBe('partial');
    expect(half.index.sections.driftReports.missing).toEqual([
      { item: 'drift trend', reason: 'unavailable: timed out' },
    ]);
    const none = buildEvidencePack(
      packInput({
        driftReports: {
          status: 'fetched',
          report: { status: 'refused', reason: '403 AUTH.FORBIDDEN' },
          trend: { status: 'unavailable', reason: 'connect ECONNREFUSED' },
        },
      }),
    );
    expect(none.index.sections.driftReports).toEqual({
      status: 'absent',
      files: [],
      reason: 'drift report refused: 403 AUTH.FORBIDDEN; drift trend unavailable: connect ECONNREFUSED',
    });
  });

  it('is byte-for-byte the same archive for the same input', () => {
    expect(buildEvidencePack(packInput()).archive.equals(buildEvidencePack(packInput()).archive)).toBe(true);
  });

  it('detects a tampered file', () => {
    const bad = tamper(pack.archive, (f) => f.set('reports/compliance.csv', Buffer.from('forged\r\n')));
    expect(codes(bad)).toEqual(['FILE_HASH_MISMATCH']);
  });

  it('detects a tampered payload even when its hash in the index is updated to match', () => {
    const forged = Buffer.from('{"decisionId":"d-1","result":"deny"}');
    const bad = tamper(pack.archive, (f) => {
      f.set('payloads/0.json', forged);
      editIndex(f, (index) => {
        const file = index.files.find((x) => x.path === 'payloads/0.json');
        if (file) file.sha256 = createHash('sha256').update(forged).digest('hex');
      });
    });
    expect(codes(bad)).toEqual(['PAYLOAD_HASH_MISMATCH']);
  });

  it('detects a removed file, and a file slipped in', () => {
    expect(codes(tamper(pack.archive, (f) => f.delete('sboms/ubuntu-22.04_1.2.3.spdx.json')))).toEqual([
      'FILE_MISSING',
    ]);
    expect(codes(tamper(pack.archive, (f) => f.set('extra.txt', Buffer.from('x'))))).toEqual([
      'FILE_UNLISTED',
    ]);
  });

  it('detects a tampered inclusion proof and a tampered leaf', () => {
    const badProof = tamper(pack.archive, (f) =>
      editIndex(f, (index) => {
        const entry = index.entries[3];
        if (entry) entry.inclusionProof[0] = 'f'.repeat(64);
      }),
    );
    expect(codes(badProof)).toEqual(['INCLUSION_PROOF_INVALID']);
    const badLeaf = tamper(pack.archive, (f) =>
      editIndex(f, (index) => {
        const entry = index.entries[1];
        if (entry) entry.leafHash = '0'.repeat(64);
      }),
    );
    // Entry 1 is the image publication: with its leaf unproven, nothing pins the SBOM any more.
    expect(codes(badLeaf)).toEqual(['LEAF_HASH_MISMATCH', 'SBOM_DIGEST_MISMATCH']);
  });

  it("proves each entry's organisation, and refuses an entry of another organisation than the pack's", () => {
    const orgs = ['acme', undefined, 'acme', undefined, 'acme'];
    const base = packInput();
    const acme = buildEvidencePack(packInput({ scope: { ...base.scope, organisation: 'acme' } }, orgs));
    expect(verifyEvidencePack(acme.archive, trust).ok).toBe(true);
    expect(acme.index.scope.organisation).toBe('acme');
    expect(acme.index.entries.map((e) => e.organisation)).toEqual(orgs);

    // The index cannot claim another organisation than the leaf proves.
    const relabelled = tamper(acme.archive, (f) =>
      editIndex(f, (index) => {
        const entry = index.entries[0];
        if (entry) entry.organisation = 'globex';
      }),
    );
    expect(codes(relabelled)).toEqual(['ENTRY_MISMATCH']);
    // A pack for acme that holds a globex entry fails, even though its proofs are sound.
    const mixed = buildEvidencePack(
      packInput({ scope: { ...base.scope, organisation: 'acme' } }, ['acme', undefined, 'globex']),
    );
    expect(codes(mixed.archive)).toEqual(['ENTRY_OTHER_ORGANISATION']);
  });

  it('detects a forged checkpoint: signed by another key, or altered after signing', () => {
    const forger = Ed25519NoteSigner.generate(ORIGIN);
    const input = packInput();
    const forgedNote = formatSignedNote(
      signNote(
        formatCheckpoint({
          origin: ORIGIN,
          size: input.log.treeSize,
          rootHash: input.log.rootHash,
          extensions: [],
        }),
        [forger],
      ),
    );
    const forged = buildEvidencePack({
      ...input,
      log: { ...input.log, checkpoint: forgedNote, vkeys: [forger.verifier.toVkey()] },
    });
    expect(codes(forged.archive)).toContain('NO_TRUSTED_SIGNATURE');
    // Trusting what the pack carries accepts the forger's key, and says so.
    const embedded = verifyEvidencePack(forged.archive, { trustedKeys: [], trustEmbeddedKeys: true });
    expect(embedded.findings.map((f) => f.code)).toContain('EMBEDDED_KEYS_TRUSTED');

    const altered = tamper(pack.archive, (f) =>
      editIndex(f, (index) => {
        index.log.checkpoint = index.log.checkpoint.replace(
          `\n${index.log.treeSize}\n`,
          `\n${index.log.treeSize + 1}\n`,
        );
      }),
    );
    expect(codes(altered)).toEqual(expect.arrayContaining(['CHECKPOINT_MISMATCH', 'SIGNATURE_INVALID']));
  });

  it('refuses what is not a pack', () => {
    expect(codes(Buffer.from('not a zip'))).toEqual(['ARCHIVE_MALFORMED']);
    expect(codes(Buffer.from(zipSync({ 'a.txt': Buffer.from('a') })))).toEqual(['INDEX_MALFORMED']);
    expect(codes(pack.archive, { trustedKeys: [], trustEmbeddedKeys: false })).toEqual(['NO_TRUSTED_KEYS']);
  });
});
