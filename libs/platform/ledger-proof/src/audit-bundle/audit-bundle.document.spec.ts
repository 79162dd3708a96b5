import { LedgerError } from '../ledger.error';
import { InMemoryMerkleTree } from '../merkle/in-memory-merkle-tree';
import {
  AUDIT_BUNDLE_FORMAT,
  type AuditBundle,
  decodeAuditBundle,
  encodeAuditBundle,
} from './audit-bundle.document';

const leaves = ['a', 'b', 'c', 'd', 'e'].map((x) => Buffer.from(`{"leaf":"${x}"}`));
const tree = InMemoryMerkleTree.fromLeaves(leaves);

const bundle: AuditBundle = {
  treeSize: 5,
  fromIndex: 1,
  toIndex: 3,
  checkpoints: ['origin\n3\nroot\n\n— origin sig\n', 'origin\n5\nroot\n\n— origin sig\n'],
  consistencyProofs: [{ fromSize: 3, toSize: 5, proof: tree.consistencyProof(3, 5) }],
  entries: [
    {
      index: 1,
      leaf: leaves[1]!,
      inclusionProof: { treeSize: 5, proof: tree.inclusionProof(1, 5) },
      payload: { x: 1 },
    },
    {
      index: 2,
      leaf: leaves[2]!,
      inclusionProof: { treeSize: 5, proof: tree.inclusionProof(2, 5) },
      payload: null,
    },
  ],
};

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error: unknown) {
    return error instanceof LedgerError ? error.code : String(error);
  }
}

describe('audit bundle documents', () => {
  it('round-trip through JSON, with hashes in hex and leaves in base64', () => {
    const document = encodeAuditBundle(bundle);
    expect(document).toMatchObject({ format: AUDIT_BUNDLE_FORMAT, complete: false });
    expect(document.entries[0]).toMatchObject({
      leaf: leaves[1]!.toString('base64'),
      inclusionProof: { treeSize: 5, proof: tree.inclusionProof(1, 5).map((p) => p.toString('hex')) },
    });
    const decoded = decodeAuditBundle(JSON.parse(JSON.stringify(document)));
    expect(decoded).toEqual({ ...bundle, complete: false });
  });

  it('claim to be the whole log only when they start at 0 and reach the head', () => {
    expect(encodeAuditBundle({ ...bundle, fromIndex: 0, toIndex: 5 }).complete).toBe(true);
    expect(encodeAuditBundle({ ...bundle, fromIndex: 0, toIndex: 4 }).complete).toBe(false);
    // One organisation's bundle is the whole log only when it left no entry out.
    const whole = {
      ...bundle,
      fromIndex: 0,
      toIndex: bundle.entries.length,
      treeSize: bundle.entries.length,
    };
    expect(encodeAuditBundle({ ...whole, organisation: 'acme' })).toMatchObject({
      complete: true,
      organisation: 'acme',
    });
    expect(
      encodeAuditBundle({ ...whole, organisation: 'acme', entries: bundle.entries.slice(1) }).complete,
    ).toBe(false);
  });

  it('are refused when they are anything else', () => {
    const good = JSON.parse(JSON.stringify(encodeAuditBundle(bundle))) as Record<string, unknown>;
    const entry = (good['entries'] as Record<string, unknown>[])[0]!;
    const variants: unknown[] = [
      null,
      [],
      { ...good, format: 'rf-ledger-audit-bundle/v0' },
      { ...good, treeSize: -1 },
      { ...good, checkpoints: 'note' },
      { ...good, consistencyProofs: [{ fromSize: 3, toSize: 5, proof: ['ABCD'] }] },
      { ...good, entries: [{ ...entry, leaf: 'not base64!' }] },
      { ...good, entries: [{ ...entry, index: 1.5 }] },
      { ...good, entries: [{ ...entry, inclusionProof: { treeSize: 5, proof: [42] } }] },
    ];
    for (const variant of variants)
      expect(codeOf(() => decodeAuditBundle(variant))).toBe('LEDGER.MALFORMED_AUDIT_BUNDLE');
  });
});
