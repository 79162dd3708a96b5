import { LedgerError } from '../ledger.error';
import { EMPTY_TREE_ROOT, hashChildren } from './rfc6962.hasher';
import {
  consistencyProofRanges,
  inclusionProofRanges,
  type LeafRange,
  type NodeId,
  nodeKey,
  perfectCover,
} from './tree-geometry';

/** Stored perfect-subtree hashes, keyed by nodeKey(id). */
export type NodeHashes = ReadonlyMap<string, Uint8Array>;

/** Every perfect subtree needed to hash the given ranges, without duplicates. */
export function nodesCovering(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const range of ranges) {
    for (const id of perfectCover(range)) seen.set(nodeKey(id), id);
  }
  return [...seen.values()];
}

/** The Merkle Tree Hash of a range, folded from its perfect subtrees. */
export function hashRange(range: LeafRange, nodes: NodeHashes): Buffer {
  const cover = perfectCover(range);
  let accumulator: Uint8Array | undefined;
  for (let i = cover.length - 1; i >= 0; i -= 1) {
    const id = cover[i] as NodeId;
    const hash = nodes.get(nodeKey(id));
    if (hash === undefined) {
      throw new LedgerError('LEDGER.STORAGE_CORRUPT', `Missing hash of subtree ${nodeKey(id)}`, {
        metadata: { level: id.level, index: id.index },
      });
    }
    accumulator = accumulator === undefined ? hash : hashChildren(hash, accumulator);
  }
  return Buffer.from(accumulator as Uint8Array);
}

/** The subtrees to read to compute the root of the tree of `size` leaves. */
export function nodesForRoot(size: number): NodeId[] {
  return size === 0 ? [] : perfectCover({ begin: 0, end: size });
}

export function rootFromNodes(size: number, nodes: NodeHashes): Buffer {
  return size === 0 ? Buffer.from(EMPTY_TREE_ROOT) : hashRange({ begin: 0, end: size }, nodes);
}

/** The subtrees to read for an inclusion proof: at most 2·log2(size) hashes, usually far fewer. */
export function nodesForInclusionProof(index: number, size: number): NodeId[] {
  return nodesCovering(inclusionProofRanges(index, size));
}

export function inclusionProofFromNodes(index: number, size: number, nodes: NodeHashes): Buffer[] {
  return inclusionProofRanges(index, size).map((range) => hashRange(range, nodes));
}

export function nodesForConsistencyProof(from: number, to: number): NodeId[] {
  return nodesCovering(consistencyProofRanges(from, to));
}

export function consistencyProofFromNodes(from: number, to: number, nodes: NodeHashes): Buffer[] {
  return consistencyProofRanges(from, to).map((range) => hashRange(range, nodes));
}
