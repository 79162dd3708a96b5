import { LedgerError } from '../ledger.error';

/**
 * A perfect subtree of the log: 2^level leaves starting at leaf index × 2^level. Level 0 is a leaf.
 * Perfect subtrees never change once their last leaf is appended, so they can be stored and reused.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** Leaves [begin, end) of the log. */
export interface LeafRange {
  readonly begin: number;
  readonly end: number;
}

export function nodeKey(id: NodeId): string {
  return `${id.level}:${id.index}`;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.floor(Math.log2(n)) === n;
}

/** The largest power of two strictly below n (n > 1): the RFC 6962 split point k. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `No split point for a tree of size ${n}`);
  }
  let k = 2 ** Math.floor(Math.log2(n));
  // Math.log2 may round up just below a power of two; settle on the exact answer.
  while (k >= n) k /= 2;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up leaves [begin, end), largest first. The Merkle Tree Hash of the range
 * is their right fold: H(p0, H(p1, … H(pn-2, pn-1))). This holds for every node of an RFC 6962 tree,
 * because a node that is not a perfect subtree lies on the tree's right edge and starts at a multiple of
 * a power of two at least as large as its own size.
 */
export function perfectCover(range: LeafRange): NodeId[] {
  const { begin, end } = range;
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end <= begin) {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `Invalid leaf range [${begin}, ${end})`);
  }
  const nodes: NodeId[] = [];
  let position = begin;
  let remaining = end - begin;
  for (let level = Math.floor(Math.log2(remaining)) + 1; level >= 0; level -= 1) {
    const width = 2 ** level;
    if (remaining >= width) {
      if (position % width !== 0) {
        throw new LedgerError(
          'LEDGER.INVALID_TREE_RANGE',
          `Leaf range [${begin}, ${end}) is not a tree node`,
        );
      }
      nodes.push({ level, index: position / width });
      position += width;
      remaining -= width;
    }
  }
  return nodes;
}

function assertTreeSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `Invalid tree size ${size}`);
  }
}

/**
 * The subtrees whose hashes form the RFC 6962 §2.1.1 audit path of leaf `index` in the tree of `size`
 * leaves, in proof order (from the leaf up to the root).
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  assertTreeSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `Leaf ${index} is not in a tree of size ${size}`, {
      metadata: { index, size },
    });
  }
  const topDown: LeafRange[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = splitPoint(end - begin);
    if (index < begin + k) {
      topDown.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      topDown.push({ begin, end: begin + k });
      begin += k;
    }
  }
  return topDown.reverse();
}

/**
 * The subtrees whose hashes form the RFC 6962 §2.1.2 consistency proof between the trees of `from` and
 * `to` leaves, in proof order. Empty when from is 0 or equal to to.
 */
export function consistencyProofRanges(from: number, to: number): LeafRange[] {
  assertTreeSize(from);
  assertTreeSize(to);
  if (from > to) {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `No consistency proof from size ${from} to ${to}`, {
      metadata: { from, to },
    });
  }
  if (from === 0 || from === to) return [];
  // SUBPROOF(m, D[begin:end], b), unrolled: each step records the sibling taken on the way down.
  const siblings: LeafRange[] = [];
  let begin = 0;
  let end = to;
  let startsAtRoot = true;
  for (;;) {
    const size = end - begin;
    const m = from - begin;
    if (m === size) {
      const terminal = startsAtRoot ? [] : [{ begin, end }];
      return [...terminal, ...siblings.reverse()];
    }
    const k = splitPoint(size);
    if (m <= k) {
      siblings.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      siblings.push({ begin, end: begin + k });
      begin += k;
      startsAtRoot = false;
    }
  }
}
