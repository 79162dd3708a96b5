import {
  Ed25519NoteSigner,
  encodeLeaf,
  formatCheckpoint,
  formatSignedNote,
  InMemoryMerkleTree,
  type JsonValue,
  payloadHashOf,
  payloadRefFor,
  signNote,
} from '@rf/platform-ledger-proof';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import type { EvidencePackIndex } from './evidence-pack-index.document';
import { readEvidencePackArchive, writeEvidencePackArchive } from './evidence-pack.archive';
import { buildEvidencePack, type EvidencePackInput, workflowIdsOf } from './evidence-pack.builder';
import { verifyEvidencePack } from './evidence-pack.verifier';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const logKey = Ed25519NoteSigner.generate(ORIGIN);
const T = 'io.resiliencefabric.';

const events: { type: string; payload: JsonValue }[] = [
  {
    type: `${T}policy.decided.v1`,
    payload: {
      decisionId: 'd-1',
      service: 'remediation',
      action: 'remediation.start',
      policy: 'p',
      result: 'allow',
      enforced: true,
      mode: 'prod',
      decidedAt: '2026-11-22T10:00:00Z',
    },
  },
  {
    type: `${T}image.published.v1`,
    payload: {
      imageVersionId: 'ubuntu-22.04@1.2.3',
      family: 'ubuntu-22.04',
      version: '1.2.3',
      sbom: { format: 'spdx-2.3+json', uri: 'https://sbom.example/1', sha256: 'a'.repeat(64) },
    },
  },
  {
    type: `${T}remediation.planned.v1`,
    payload: { planId: 'plan-1', environment: 'prod' },
  },
  {
    type: `${T}remediation.wave.started.v1`,
    payload: {
      planId: 'plan-1',
      waveIndex: 0,
      workflowId: 'remediation/plan-1/wave-0',
      assetIds: ['a'],
      startedAt: '2026-11-22T10:01:00Z',
    },
  },
  {
    type: `${T}compliance.scored.v1`,
    payload: {
      scoreId: 's-1',
      subjectKind: 'asset',
      subjectId: 'asset-1',
      score: 0.9,
      target: 0.85,
      badge: 'compliant',
      scoredAt: '2026-11-22T10:02:00Z',
      controls: [
        {
          controlId: 'rf:image-signed',
          weight: 1,
          status: 'pass',
          evidence: [{ index: 1, leafHash: 'b'.repeat(64) }],
        },
      ],
    },
  },
];

function packInput(overrides: Partial<EvidencePackInput> = {}): EvidencePackInput {
  const tree = new InMemoryMerkleTree();
  const leaves = events.map((e, i) => {
    const eventId = `00000000-0000-4000-8000-00000000000${i}`;
    const leaf = encodeLeaf({
      eventId,
      type: e.type,
      subject: `subject-${i}`,
      time: `2026-11-22T10:0${i}:00Z`,
      payloadHash: payloadHashOf(e.payload),
      payloadRef: payloadRefFor(eventId),
    });
    tree.appendLeaf(leaf);
    return leaf;
  });
  const text = formatCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root(), extensions: [] });
  const checkpoint = formatSignedNote(signNote(text, [logKey]));
  return {
    scope: {
      from: '2026-11-22T00:00:00Z',
      to: '2026-11-23T00:00:00Z',
      environment: 'prod',
      selection: 'test',
      pendingEntriesExcluded: 0,
      otherEnvironmentEntriesExcluded: 0,
    },
    log: {
      origin: ORIGIN,
      treeSize: tree.size,
      rootHash: tree.root(),
      checkpoint,
      vkeys: [logKey.verifier.toVkey()],
    },
    entries: leaves.map((leaf, index) => ({
      index,
      leaf,
      leafHash: tree.leafHash(index),
      inclusionProof: tree.inclusionProof(index),
      payload: { state: 'present', content: (events[index] as { payload: JsonValue }).payload },
    })),
    workflowHistories: new Map([
      ['remediation/plan-1/wave-0', { status: 'found', historyJson: '{"events":[{"eventId":"1"}]}' }],
    ]),
    driftReports: { status: 'absent', reason: 'no drift source' },
    ...overrides,
  };
}

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
        'sboms/ubuntu-22.04_1.2.3.json',
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
    expect(pack.index.sections.sboms.status).toBe('partial');
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
    expect(codes(tamper(pack.archive, (f) => f.delete('sboms/ubuntu-22.04_1.2.3.json')))).toEqual([
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
    expect(codes(badLeaf)).toEqual(['LEAF_HASH_MISMATCH']);
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
