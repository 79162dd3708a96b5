import type { JsonValue } from '@rf/platform-canonical-json';
import { formatCheckpoint } from '../checkpoint/checkpoint';
import { Ed25519NoteSigner } from '../checkpoint/ed25519-note.signer';
import { formatSignedNote, type NoteSigningKey, signNote } from '../checkpoint/signed-note';
import { encodeLeaf, payloadHashOf, payloadRefFor } from '../entry/ledger-leaf';
import { InMemoryMerkleTree } from '../merkle/in-memory-merkle-tree';
import type { CheckpointTrustPolicy } from './checkpoint-trust-policy';
import { type AuditEntry, auditLedger, type LedgerAuditInput } from './ledger-audit';
import type { FindingCode } from './verification-finding';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const logKey = Ed25519NoteSigner.generate(ORIGIN);
const policy: CheckpointTrustPolicy = { origin: ORIGIN, logKeys: [logKey.verifier] };

const payloadOf = (i: number): JsonValue => ({ assetId: `asset-${i}`, score: i / 7 });
const leafOf = (i: number, salt = ''): Buffer =>
  encodeLeaf({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}${salt}`,
    type: 'io.resiliencefabric.drift.detected.v1',
    subject: `asset-${i}`,
    time: '2025-11-22T08:15:41Z',
    payloadHash: payloadHashOf(payloadOf(i)),
    payloadRef: payloadRefFor(String(i)),
  });

function note(
  tree: InMemoryMerkleTree,
  size: number,
  signers: readonly NoteSigningKey[] = [logKey],
  origin = ORIGIN,
) {
  const text = formatCheckpoint({ origin, size, rootHash: tree.root(size), extensions: [] });
  return formatSignedNote(signNote(text, signers));
}

/** What an honest log serves: checkpoints at the given sizes, proofs between them, entries proven at the last. */
function honestBundle(
  leaves: readonly Buffer[],
  sizes: readonly number[],
): LedgerAuditInput & { tree: InMemoryMerkleTree } {
  const tree = InMemoryMerkleTree.fromLeaves(leaves);
  const head = sizes.at(-1)!;
  return {
    tree,
    policy,
    checkpoints: sizes.map((size) => note(tree, size)),
    consistencyProofs: sizes.slice(1).map((toSize, i) => ({
      fromSize: sizes[i]!,
      toSize,
      proof: tree.consistencyProof(sizes[i]!, toSize),
    })),
    entries: leaves.slice(0, head).map((leaf, index) => ({
      index,
      leaf,
      inclusionProof: { treeSize: head, proof: tree.inclusionProof(index, head) },
      payload: payloadOf(index),
    })),
    completeLog: true,
  };
}

const codes = (input: LedgerAuditInput): FindingCode[] =>
  auditLedger(input)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.code);

const flip = (bytes: Uint8Array, byte: number, bit = 0): Buffer => {
  const copy = Buffer.from(bytes);
  copy[byte]! ^= 1 << bit;
  return copy;
};

describe('offline ledger audit', () => {
  const leaves = Array.from({ length: 50 }, (_, i) => leafOf(i));

  it('accepts an honest log and counts what it checked', () => {
    const report = auditLedger(honestBundle(leaves, [10, 25, 50]));
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      checkpointsVerified: 3,
      consistencyProofsVerified: 2,
      inclusionProofsVerified: 50,
      entriesReplayed: 50,
    });
    expect(report.head?.size).toBe(50);
  });

  describe('checkpoint signatures', () => {
    it('accepts checkpoints signed by any trusted key, so keys can rotate', () => {
      const next = Ed25519NoteSigner.generate(ORIGIN);
      const bundle = honestBundle(leaves, [10, 25, 50]);
      const rotated = {
        ...bundle,
        checkpoints: [
          note(bundle.tree, 10),
          note(bundle.tree, 25, [logKey, next]),
          note(bundle.tree, 50, [next]),
        ],
      };
      expect(
        auditLedger({ ...rotated, policy: { origin: ORIGIN, logKeys: [logKey.verifier, next.verifier] } }).ok,
      ).toBe(true);
      // Once the old key is retired, what only it signed is no longer trusted.
      const retired = auditLedger({ ...rotated, policy: { origin: ORIGIN, logKeys: [next.verifier] } });
      expect(retired.findings).toContainEqual(
        expect.objectContaining({
          code: 'NO_TRUSTED_SIGNATURE',
          checkpoint: 'checkpoints[0]',
          severity: 'error',
        }),
      );
      expect(retired.findings).toContainEqual(
        expect.objectContaining({
          code: 'UNKNOWN_SIGNATURE_IGNORED',
          checkpoint: 'checkpoints[0]',
          severity: 'info',
        }),
      );
      expect(retired.findings.filter((f) => f.code === 'NO_TRUSTED_SIGNATURE')).toHaveLength(1);
    });

    it('rejects a checkpoint signed by an unknown key, even one using the log name', () => {
      const impostor = Ed25519NoteSigner.generate(ORIGIN);
      const bundle = honestBundle(leaves, [50]);
      expect(codes({ ...bundle, checkpoints: [note(bundle.tree, 50, [impostor])] })).toEqual(
        expect.arrayContaining(['NO_TRUSTED_SIGNATURE']),
      );
    });

    it('rejects a checkpoint with a flipped bit', () => {
      const bundle = honestBundle(leaves, [50]);
      const original = bundle.checkpoints[0]!;
      const tampered = original.replace(/^(.*\n)50\n/, '$140\n');
      expect(codes({ ...bundle, checkpoints: [tampered] })).toEqual(
        expect.arrayContaining(['SIGNATURE_INVALID', 'NO_TRUSTED_SIGNATURE']),
      );
      const bytes = Buffer.from(original);
      const flippedRoot = flip(bytes, bytes.indexOf('\n', bytes.indexOf('\n') + 1) + 5, 1).toString();
      expect(codes({ ...bundle, checkpoints: [flippedRoot] })).toContain('SIGNATURE_INVALID');
    });

    it('requires the witness quorum and verifies every co-signature', () => {
      const witnessA = Ed25519NoteSigner.generate('witness.example/a');
      const witnessB = Ed25519NoteSigner.generate('witness.example/b');
      const witnessed = { ...policy, witnessKeys: [witnessA.verifier, witnessB.verifier], witnessQuorum: 2 };
      const bundle = { ...honestBundle(leaves, [50]), entries: [], completeLog: false };
      const cosigned = note(bundle.tree, 50, [logKey, witnessA, witnessB]);
      expect(auditLedger({ ...bundle, policy: witnessed, checkpoints: [cosigned] }).ok).toBe(true);
      const oneWitness = note(bundle.tree, 50, [logKey, witnessA]);
      expect(codes({ ...bundle, policy: witnessed, checkpoints: [oneWitness] })).toEqual([
        'WITNESS_QUORUM_NOT_MET',
      ]);
      const forgedWitness = cosigned.replace(
        /(— witness\.example\/b \S{10})\S/,
        (m, p: string) => `${p}${m.endsWith('A') ? 'B' : 'A'}`,
      );
      expect(codes({ ...bundle, policy: witnessed, checkpoints: [forgedWitness] })).toEqual(
        expect.arrayContaining(['SIGNATURE_INVALID']),
      );
    });

    it('rejects a checkpoint of another log and notes that are not checkpoints', () => {
      const bundle = honestBundle(leaves, [50]);
      expect(
        codes({ ...bundle, checkpoints: [note(bundle.tree, 50, [logKey], 'other.example/log')] }),
      ).toContain('ORIGIN_MISMATCH');
      expect(codes({ ...bundle, checkpoints: ['not a note'] })).toContain('NOTE_MALFORMED');
      const notACheckpoint = formatSignedNote(signNote('hello\n', [logKey]));
      expect(codes({ ...bundle, checkpoints: [notACheckpoint] })).toContain('CHECKPOINT_MALFORMED');
    });
  });

  describe('tampered entries', () => {
    it('detects a flipped bit in a leaf', () => {
      const bundle = honestBundle(leaves, [25, 50]);
      const entries = bundle.entries!.map((e) => (e.index === 17 ? { ...e, leaf: flip(e.leaf, 30, 2) } : e));
      const report = auditLedger({ ...bundle, entries });
      expect(report.ok).toBe(false);
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID', entryIndex: 17 }),
      );
      expect(report.findings.filter((f) => f.code === 'ROOT_MISMATCH').map((f) => f.treeSize)).toEqual([
        25, 50,
      ]);
    });

    it('detects a flipped bit in an inclusion proof', () => {
      const bundle = honestBundle(leaves, [50]);
      const entries = bundle.entries!.map((e) =>
        e.index === 3
          ? {
              ...e,
              inclusionProof: {
                treeSize: 50,
                proof: e.inclusionProof!.proof.map((p, i) => (i === 2 ? flip(p, 0) : p)),
              },
            }
          : e,
      );
      expect(codes({ ...bundle, entries })).toEqual(['INCLUSION_PROOF_INVALID']);
    });

    it('detects a deleted entry, whether or not the rest were renumbered', () => {
      const bundle = honestBundle(leaves, [50]);
      const withoutTwenty = bundle.entries!.filter((e) => e.index !== 20);
      expect(codes({ ...bundle, entries: withoutTwenty })).toEqual(['ENTRY_INDEX_GAP', 'LOG_TRUNCATED']);
      // Renumbered, with proofs recomputed over the doctored log: the signed root no longer matches.
      const doctored = InMemoryMerkleTree.fromLeaves(withoutTwenty.map((e) => e.leaf));
      const renumbered: AuditEntry[] = withoutTwenty.map((e, index) => ({
        index,
        leaf: e.leaf,
        inclusionProof: { treeSize: 49, proof: doctored.inclusionProof(index, 49) },
      }));
      expect(codes({ ...bundle, entries: renumbered })).toEqual(
        expect.arrayContaining(['INCLUSION_PROOF_UNANCHORED', 'LOG_TRUNCATED']),
      );
      const provenAtFifty = withoutTwenty.map((e, index) => ({ ...e, index }));
      const report = auditLedger({ ...bundle, entries: provenAtFifty });
      expect(
        report.findings.filter((f) => f.code === 'INCLUSION_PROOF_INVALID').length,
      ).toBeGreaterThanOrEqual(29);
    });

    it('detects reordered entries', () => {
      const bundle = honestBundle(leaves, [50]);
      const swapped = bundle.entries!.map((e) =>
        e.index === 5 ? { ...e, leaf: leaves[6]! } : e.index === 6 ? { ...e, leaf: leaves[5]! } : e,
      );
      const report = auditLedger({ ...bundle, entries: swapped });
      expect(
        report.findings.filter((f) => f.code === 'INCLUSION_PROOF_INVALID').map((f) => f.entryIndex),
      ).toEqual([5, 6]);
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'ROOT_MISMATCH', treeSize: 50 }),
      );
      const shuffled = [...bundle.entries!];
      [shuffled[8], shuffled[9]] = [shuffled[9]!, shuffled[8]!];
      expect(codes({ ...bundle, entries: shuffled })).toEqual(['ENTRY_OUT_OF_ORDER']);
    });

    it('detects a truncated log', () => {
      const bundle = honestBundle(leaves, [25, 50]);
      expect(codes({ ...bundle, entries: bundle.entries!.slice(0, 40) })).toEqual(['LOG_TRUNCATED']);
    });

    it('refuses inclusion proofs against a size no verified checkpoint has', () => {
      const bundle = honestBundle(leaves, [50]);
      const entries = [
        {
          index: 0,
          leaf: leaves[0]!,
          inclusionProof: { treeSize: 30, proof: bundle.tree.inclusionProof(0, 30) },
        },
      ];
      expect(codes({ ...bundle, entries, completeLog: false })).toEqual(['INCLUSION_PROOF_UNANCHORED']);
    });

    it('checks payloads against their leaves and accepts redacted ones', () => {
      const bundle = honestBundle(leaves, [50]);
      const entries = bundle.entries!.map((e) =>
        e.index === 1
          ? { ...e, payload: null }
          : e.index === 2
            ? { ...e, payload: { assetId: 'forged' } }
            : e,
      );
      const report = auditLedger({ ...bundle, entries });
      expect(report.findings.map((f) => [f.severity, f.code, f.entryIndex])).toEqual([
        ['info', 'PAYLOAD_REDACTED', 1],
        ['error', 'PAYLOAD_HASH_MISMATCH', 2],
      ]);
      expect(report.inclusionProofsVerified).toBe(50);
    });

    it('refuses leaves that are not ledger leaves', () => {
      const bundle = honestBundle(leaves, [50]);
      const entries = [{ index: 0, leaf: Buffer.from('{"not":"a leaf"}') }];
      expect(codes({ ...bundle, entries, completeLog: false })).toEqual(['LEAF_MALFORMED']);
    });
  });

  describe('the log against checkpoints saved earlier', () => {
    const original = InMemoryMerkleTree.fromLeaves(leaves);
    const saved = note(original, 40);

    it('accepts a log that grew from the saved checkpoint', () => {
      const bundle = honestBundle(leaves, [50]);
      const input = {
        ...bundle,
        trustedCheckpoints: [saved],
        consistencyProofs: [{ fromSize: 40, toSize: 50, proof: original.consistencyProof(40, 50) }],
      };
      expect(auditLedger(input).ok).toBe(true);
    });

    it('detects a log rewound below the saved checkpoint', () => {
      const bundle = honestBundle(leaves, [20, 30]);
      const report = auditLedger({ ...bundle, trustedCheckpoints: [saved] });
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'LOG_ROLLBACK', checkpoint: 'checkpoints[1]', treeSize: 30 }),
      );
      // Nothing can prove 30 extends to 40 when the log no longer has entries 30 to 39.
      expect(report.findings).toContainEqual(expect.objectContaining({ code: 'CONSISTENCY_PROOF_MISSING' }));
      expect(report.head?.size).toBe(30);
    });

    it('detects a log rewound to an old state and regrown past the saved checkpoint', () => {
      const regrown = [...leaves.slice(0, 30), ...Array.from({ length: 25 }, (_, i) => leafOf(30 + i, 'x'))];
      const forked = honestBundle(regrown, [30, 55]);
      const input = {
        ...forked,
        trustedCheckpoints: [saved],
        consistencyProofs: [
          { fromSize: 30, toSize: 40, proof: forked.tree.consistencyProof(30, 40) },
          { fromSize: 40, toSize: 55, proof: forked.tree.consistencyProof(40, 55) },
        ],
      };
      const report = auditLedger(input);
      // The chain breaks where history diverged: the regrown log's first 40 entries are not the saved ones.
      expect(report.findings).toContainEqual(
        expect.objectContaining({ code: 'LOG_FORK', checkpoint: 'trusted[0]', treeSize: 40 }),
      );
      expect(report.head?.size).toBe(30);
      expect(report.ok).toBe(false);
    });

    it('detects two different trees of the same size', () => {
      const other = InMemoryMerkleTree.fromLeaves([...leaves.slice(0, 39), leafOf(39, 'x')]);
      const bundle = honestBundle(leaves, [50]);
      const input = { ...bundle, entries: [], completeLog: false, trustedCheckpoints: [saved] };
      expect(codes({ ...input, checkpoints: [note(other, 40)] })).toEqual(['LOG_FORK']);
    });

    it('requires a consistency proof between every pair of checkpoints', () => {
      const bundle = honestBundle(leaves, [10, 50]);
      expect(codes({ ...bundle, consistencyProofs: [] })).toEqual(['CONSISTENCY_PROOF_MISSING']);
    });
  });
});
