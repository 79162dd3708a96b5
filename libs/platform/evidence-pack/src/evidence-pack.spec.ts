import { Ed25519NoteSigner, formatCheckpoint, formatSignedNote, signNote } from '@rf/platform-ledger-proof';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import type { EvidencePackIndex } from './evidence-pack-index.document';
import { readEvidencePackArchive, writeEvidencePackArchive } from './evidence-pack.archive';
import { buildEvidencePack, workflowIdsOf } from './evidence-pack.builder';
import { verifyEvidencePack } from './evidence-pack.verifier';
import {
  SAMPLE_PACK_EVENTS,
  SAMPLE_PACK_ORIGIN,
  samplePackInput,
  samplePackLogKey,
} from './testing/sample-evidence-pack';

const logKey = samplePackLogKey;
const ORIGIN = SAMPLE_PACK_ORIGIN;
const events = SAMPLE_PACK_EVENTS;
const packInput = samplePackInput;

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
