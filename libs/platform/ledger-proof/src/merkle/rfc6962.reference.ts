import { EMPTY_TREE_ROOT, hashChildren } from './rfc6962.hasher';
import { splitPoint } from './tree-geometry';

/**
 * RFC 6962 §2.1 taken literally: every call re-hashes the leaves it covers, O(n) per root or proof.
 * It is the oracle for tests and the baseline in the benchmark; production code reads stored subtrees.
 */
export function referenceRoot(leafHashes: readonly Uint8Array[], begin = 0, end = leafHashes.length): Buffer {
  const size = end - begin;
  if (size === 0) return Buffer.from(EMPTY_TREE_ROOT);
  if (size === 1) return Buffer.from(leafHashes[begin] as Uint8Array);
  const k = splitPoint(size);
  return hashChildren(referenceRoot(leafHashes, begin, begin + k), referenceRoot(leafHashes, begin + k, end));
}

/** PATH(m, D[n]) from RFC 6962 §2.1.1. */
export function referenceInclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number,
  begin = 0,
): Buffer[] {
  if (size <= 1) return [];
  const k = splitPoint(size);
  return index < k
    ? [
        ...referenceInclusionProof(leafHashes, index, k, begin),
        referenceRoot(leafHashes, begin + k, begin + size),
      ]
    : [
        ...referenceInclusionProof(leafHashes, index - k, size - k, begin + k),
        referenceRoot(leafHashes, begin, begin + k),
      ];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) from RFC 6962 §2.1.2. */
export function referenceConsistencyProof(
  leafHashes: readonly Uint8Array[],
  from: number,
  to: number,
): Buffer[] {
  if (from === 0 || from === to) return [];
  return subproof(leafHashes, from, 0, to, true);
}

function subproof(
  leafHashes: readonly Uint8Array[],
  m: number,
  begin: number,
  end: number,
  startsAtRoot: boolean,
): Buffer[] {
  const size = end - begin;
  if (m === size) return startsAtRoot ? [] : [referenceRoot(leafHashes, begin, end)];
  const k = splitPoint(size);
  return m <= k
    ? [...subproof(leafHashes, m, begin, begin + k, startsAtRoot), referenceRoot(leafHashes, begin + k, end)]
    : [...subproof(leafHashes, m - k, begin + k, end, false), referenceRoot(leafHashes, begin, begin + k)];
}
