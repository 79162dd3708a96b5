import { HASH_SIZE, hashChildren, sameHash } from './rfc6962.hasher';
import { isPowerOfTwo } from './tree-geometry';

export type ProofCheck = { readonly valid: true } | { readonly valid: false; readonly reason: string };

const VALID: ProofCheck = { valid: true };

function invalid(reason: string): ProofCheck {
  return { valid: false, reason };
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

const half = (n: number): number => Math.floor(n / 2);
const isOdd = (n: number): boolean => n % 2 === 1;

/**
 * The root an inclusion proof leads to, per RFC 9162 §2.1.3.2; undefined when the proof has the wrong
 * shape for the index and size.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer | undefined {
  if (!isSize(index) || !isSize(size) || index >= size) return undefined;
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.3.2: does `proof` show the leaf with `leafHash` at `index` in the tree with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofCheck {
  if (!isSize(index) || !isSize(size) || index >= size) {
    return invalid(`leaf index ${index} is outside a tree of size ${size}`);
  }
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (computed === undefined) return invalid(`the proof has the wrong shape for leaf ${index} of ${size}`);
  return sameHash(computed, root) ? VALID : invalid('the proof leads to a different root');
}

/**
 * RFC 9162 §2.1.4.2: is the tree (size1, root1) a prefix of the tree (size2, root2)? Trees of size 0
 * are a prefix of every tree; equal sizes need equal roots and an empty proof.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): ProofCheck {
  if (!isSize(size1) || !isSize(size2)) return invalid('tree sizes must be non-negative integers');
  if (size1 > size2) return invalid(`size ${size2} is smaller than ${size1}: the log went back in time`);
  if (size1 === size2) {
    if (proof.length !== 0) return invalid('trees of equal size take an empty proof');
    return root1.length === HASH_SIZE && sameHash(root1, root2)
      ? VALID
      : invalid('equal sizes, different roots');
  }
  if (size1 === 0) return proof.length === 0 ? VALID : invalid('the empty tree takes an empty proof');
  if (proof.length === 0) return invalid('empty proof');
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) {
    return invalid('hashes must be 32 bytes');
  }
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0] as Uint8Array);
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return invalid('the proof is longer than the trees allow');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return invalid('the proof is shorter than the trees need');
  if (!sameHash(fr, root1)) return invalid('the proof does not lead to the first root');
  if (!sameHash(sr, root2)) return invalid('the proof does not lead to the second root');
  return VALID;
}
