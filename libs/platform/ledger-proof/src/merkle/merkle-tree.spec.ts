import fc from 'fast-check';
import { CompactRange } from './compact-range';
import { InMemoryMerkleTree } from './in-memory-merkle-tree';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './merkle-proof.verifier';
import { EMPTY_TREE_ROOT, hashLeaf } from './rfc6962.hasher';
import { referenceConsistencyProof, referenceInclusionProof, referenceRoot } from './rfc6962.reference';
import { consistencyProofRanges, inclusionProofRanges, perfectCover, splitPoint } from './tree-geometry';

// Reference vectors from the certificate-transparency test suite, as carried by
// github.com/transparency-dev/merkle (proof/verify_test.go).
const h = (hex: string): Buffer => Buffer.from(hex, 'hex');
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(h);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);
const root = (size: number): Buffer => ROOTS[size - 1]!;

// Leaf numbers are 1-based, as in the Go table.
const INCLUSION_VECTORS: [leaf: number, size: number, proof: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [3, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    2,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

const CONSISTENCY_VECTORS: [size1: number, size2: number, proof: string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

const SOME_HASH = h('abacaba000000000000000000000000000000000000000000060061e00123456');
const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((x) => Buffer.from(x).toString('hex'));
const flipBit = (hash: Uint8Array, bit: number): Buffer => {
  const copy = Buffer.from(hash);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

function syntheticLeafHashes(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => hashLeaf(Buffer.from(`leaf ${i}`)));
}

describe('RFC 6962 hashing against the certificate-transparency vectors', () => {
  const tree = InMemoryMerkleTree.fromLeaves(LEAVES);
  const leafHashes = LEAVES.map(hashLeaf);

  it('hashes the empty tree to SHA-256 of nothing', () => {
    expect(EMPTY_TREE_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(new InMemoryMerkleTree().root().equals(EMPTY_TREE_ROOT)).toBe(true);
    expect(referenceRoot([]).equals(EMPTY_TREE_ROOT)).toBe(true);
  });

  it.each(ROOTS.map((_, i) => i + 1))('has the known root for %i leaves, by every method', (size) => {
    expect(referenceRoot(leafHashes.slice(0, size)).toString('hex')).toBe(root(size).toString('hex'));
    expect(tree.root(size).toString('hex')).toBe(root(size).toString('hex'));
    const edge = CompactRange.empty();
    leafHashes.slice(0, size).forEach((leafHash) => edge.append(leafHash));
    expect(edge.root().toString('hex')).toBe(root(size).toString('hex'));
  });

  it.each(INCLUSION_VECTORS)(
    'produces and verifies the known audit path of leaf %i in %i',
    (leaf, size, proof) => {
      const expected = proof.map(h);
      expect(hex(tree.inclusionProof(leaf - 1, size))).toEqual(proof);
      expect(hex(referenceInclusionProof(leafHashes, leaf - 1, size))).toEqual(proof);
      expect(verifyInclusion(leaf - 1, size, leafHashes[leaf - 1]!, expected, root(size))).toEqual({
        valid: true,
      });
      expect(
        rootFromInclusionProof(leaf - 1, size, leafHashes[leaf - 1]!, expected)?.equals(root(size)),
      ).toBe(true);
    },
  );

  it.each(INCLUSION_VECTORS.filter(([, , p]) => p.length > 0))(
    'rejects every corruption of the audit path of leaf %i in %i',
    (leaf, size, proofHex) => {
      const proof = proofHex.map(h);
      const index = leaf - 1;
      const leafHash = leafHashes[index]!;
      const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
        [index - 1, size, leafHash, proof, root(size)],
        [index + 1, size, leafHash, proof, root(size)],
        [index ^ 2, size, leafHash, proof, root(size)],
        [index, size * 2, leafHash, proof, root(size)],
        [index, Math.floor(size / 2), leafHash, proof, root(size)],
        [index, size, Buffer.from('WrongLeaf'), proof, root(size)],
        [index, size, leafHash, proof, EMPTY_TREE_ROOT],
        [index, size, leafHash, proof, SOME_HASH],
        [index, size, leafHash, [...proof, Buffer.alloc(0)], root(size)],
        [index, size, leafHash, [...proof, root(size)], root(size)],
        [index, size, leafHash, [Buffer.alloc(0), ...proof], root(size)],
        [index, size, leafHash, [root(size), ...proof], root(size)],
        [index, size, leafHash, proof.slice(0, -1), root(size)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [
          index,
          size,
          leafHash,
          proof.map((p, j) => (i === j ? flipBit(p, 3) : p)),
          root(size),
        ]),
      ];
      if (proof.length > 1)
        probes.push([index, size, leafHash, [proof[0]!, SOME_HASH, ...proof.slice(1)], root(size)]);
      for (const [i, s, l, p, r] of probes) expect(verifyInclusion(i, s, l, p, r).valid).toBe(false);
    },
  );

  it.each(CONSISTENCY_VECTORS)(
    'produces and verifies the known consistency proof from %i to %i',
    (m, n, proof) => {
      expect(hex(tree.consistencyProof(m, n))).toEqual(proof);
      expect(hex(referenceConsistencyProof(leafHashes, m, n))).toEqual(proof);
      expect(verifyConsistency(m, n, root(m), root(n), proof.map(h))).toEqual({ valid: true });
    },
  );

  it.each(CONSISTENCY_VECTORS.filter(([, , p]) => p.length > 0))(
    'rejects every corruption of the consistency proof from %i to %i',
    (m, n, proofHex) => {
      const proof = proofHex.map(h);
      const [r1, r2] = [root(m), root(n)];
      const probes: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
        [m - 1, n, r1, r2, proof],
        [m + 1, n, r1, r2, proof],
        [m ^ 2, n, r1, r2, proof],
        [m, n * 2, r1, r2, proof],
        [m, Math.floor(n / 2), r1, r2, proof],
        [m, n, Buffer.from('WrongRoot'), r2, proof],
        [m, n, r1, Buffer.from('WrongRoot'), proof],
        [m, n, r2, r1, proof],
        [m, n, r1, r2, []],
        [m, n, r1, r2, [...proof, Buffer.alloc(0)]],
        [m, n, r1, r2, [...proof, r1]],
        [m, n, r1, r2, [...proof, r2]],
        [m, n, r1, r2, [Buffer.alloc(0), ...proof]],
        [m, n, r1, r2, [r1, ...proof]],
        [m, n, r1, r2, [r2, ...proof]],
        [m, n, r1, r2, [proof[0]!, ...proof]],
        [m, n, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => [
          m,
          n,
          r1,
          r2,
          proof.map((p, j) => (i === j ? flipBit(p, 4) : p)),
        ]),
      ];
      for (const [s1, s2, a, b, p] of probes) expect(verifyConsistency(s1, s2, a, b, p).valid).toBe(false);
    },
  );

  it('follows the edge cases of the reference verifier', () => {
    const [r1, r2] = [Buffer.from("don't care 1"), Buffer.from("don't care 2")];
    expect(verifyConsistency(0, 0, r1, r2, []).valid).toBe(false);
    expect(verifyConsistency(1, 1, r1, r2, []).valid).toBe(false);
    expect(verifyConsistency(0, 1, r1, r2, []).valid).toBe(true);
    expect(verifyConsistency(1, 0, r1, r2, []).valid).toBe(false);
    expect(verifyConsistency(2, 1, r1, r2, []).valid).toBe(false);
    expect(verifyConsistency(1, 2, r1, r2, []).valid).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_TREE_ROOT, EMPTY_TREE_ROOT, []).valid).toBe(true);
    expect(verifyConsistency(0, 0, EMPTY_TREE_ROOT, EMPTY_TREE_ROOT, [EMPTY_TREE_ROOT]).valid).toBe(false);
    expect(verifyConsistency(0, 1, EMPTY_TREE_ROOT, EMPTY_TREE_ROOT, [EMPTY_TREE_ROOT]).valid).toBe(false);
    expect(verifyConsistency(1, 1, EMPTY_TREE_ROOT, EMPTY_TREE_ROOT, [EMPTY_TREE_ROOT]).valid).toBe(false);
    for (const [index, size] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 1],
    ] as const) {
      expect(verifyInclusion(index, size, SOME_HASH, [], Buffer.alloc(0)).valid).toBe(false);
      expect(verifyInclusion(index, size, Buffer.alloc(0), [], EMPTY_TREE_ROOT).valid).toBe(false);
      expect(verifyInclusion(index, size, SOME_HASH, [], EMPTY_TREE_ROOT).valid).toBe(false);
    }
    const single = hashLeaf(Buffer.from('data'));
    expect(verifyInclusion(0, 1, single, [], single).valid).toBe(true);
    expect(verifyInclusion(0, 1, single, [], Buffer.alloc(0)).valid).toBe(false);
  });
});

describe('tree geometry', () => {
  it('splits at the largest power of two below the size', () => {
    expect([2, 3, 4, 5, 8, 9, 1_000_000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 524_288]);
    expect(() => splitPoint(1)).toThrow('No split point');
  });

  it('covers a range with aligned perfect subtrees, largest first', () => {
    expect(perfectCover({ begin: 0, end: 13 })).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(perfectCover({ begin: 8, end: 11 })).toEqual([
      { level: 1, index: 4 },
      { level: 0, index: 10 },
    ]);
    expect(() => perfectCover({ begin: 1, end: 3 })).toThrow('not a tree node');
    expect(() => perfectCover({ begin: 3, end: 3 })).toThrow('Invalid leaf range');
  });

  it('refuses proofs outside the tree', () => {
    expect(() => inclusionProofRanges(5, 5)).toThrow('not in a tree of size 5');
    expect(() => consistencyProofRanges(6, 5)).toThrow('No consistency proof');
    expect(consistencyProofRanges(0, 5)).toEqual([]);
    expect(consistencyProofRanges(5, 5)).toEqual([]);
  });
});

describe('proofs from stored subtrees equal RFC 6962 taken literally', () => {
  const MAX = 64;
  const leafHashes = syntheticLeafHashes(MAX);
  const tree = new InMemoryMerkleTree();
  leafHashes.forEach((leafHash) => tree.appendLeafHash(leafHash));
  const sizes = Array.from({ length: MAX }, (_, i) => i + 1);

  it('for every root, inclusion proof and index of every size from 1 to 64', () => {
    for (const size of sizes) {
      const expectedRoot = referenceRoot(leafHashes.slice(0, size));
      expect(tree.root(size).equals(expectedRoot)).toBe(true);
      for (let index = 0; index < size; index += 1) {
        const proof = tree.inclusionProof(index, size);
        expect(hex(proof)).toEqual(hex(referenceInclusionProof(leafHashes, index, size)));
        expect(verifyInclusion(index, size, leafHashes[index]!, proof, expectedRoot)).toEqual({
          valid: true,
        });
        // The same proof must not pass for any other leaf or index.
        expect(verifyInclusion(index, size, leafHashes[(index + 1) % MAX]!, proof, expectedRoot).valid).toBe(
          false,
        );
        if (size > 1) {
          expect(
            verifyInclusion((index + 1) % size, size, leafHashes[index]!, proof, expectedRoot).valid,
          ).toBe(false);
        }
      }
    }
  });

  it('for every consistency proof between sizes 1 to 64', () => {
    for (const to of sizes) {
      const toRoot = tree.root(to);
      for (let from = 1; from <= to; from += 1) {
        const proof = tree.consistencyProof(from, to);
        expect(hex(proof)).toEqual(hex(referenceConsistencyProof(leafHashes, from, to)));
        expect(verifyConsistency(from, to, tree.root(from), toRoot, proof)).toEqual({ valid: true });
        if (from < to) {
          // A tree that differs in any one earlier leaf is not a prefix.
          const forged = referenceRoot(
            leafHashes.slice(0, from).map((x, i) => (i === from - 1 ? flipBit(x, 0) : x)),
          );
          expect(verifyConsistency(from, to, forged, toRoot, proof).valid).toBe(false);
        }
      }
    }
  });

  it('keeps proofs valid and detects any flipped bit, for random trees up to 3,000 leaves', () => {
    const big = syntheticLeafHashes(3_000);
    const bigTree = new InMemoryMerkleTree();
    big.forEach((leafHash) => bigTree.appendLeafHash(leafHash));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000 }).chain((size) =>
          fc.record({
            size: fc.constant(size),
            index: fc.integer({ min: 0, max: size - 1 }),
            from: fc.integer({ min: 1, max: size }),
            bit: fc.integer({ min: 0, max: 255 }),
          }),
        ),
        ({ size, index, from, bit }) => {
          const treeRoot = bigTree.root(size);
          const inclusion = bigTree.inclusionProof(index, size);
          expect(verifyInclusion(index, size, big[index]!, inclusion, treeRoot).valid).toBe(true);
          expect(verifyInclusion(index, size, flipBit(big[index]!, bit), inclusion, treeRoot).valid).toBe(
            false,
          );
          expect(verifyInclusion(index, size, big[index]!, inclusion, flipBit(treeRoot, bit)).valid).toBe(
            false,
          );
          inclusion.forEach((_, i) => {
            const tampered = inclusion.map((p, j) => (i === j ? flipBit(p, bit) : p));
            expect(verifyInclusion(index, size, big[index]!, tampered, treeRoot).valid).toBe(false);
          });
          const consistency = bigTree.consistencyProof(from, size);
          const fromRoot = bigTree.root(from);
          expect(verifyConsistency(from, size, fromRoot, treeRoot, consistency).valid).toBe(true);
          consistency.forEach((_, i) => {
            const tampered = consistency.map((p, j) => (i === j ? flipBit(p, bit) : p));
            expect(verifyConsistency(from, size, fromRoot, treeRoot, tampered).valid).toBe(false);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
