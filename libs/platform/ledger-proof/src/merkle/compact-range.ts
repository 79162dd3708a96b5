import { LedgerError } from '../ledger.error';
import { EMPTY_TREE_ROOT, hashChildren } from './rfc6962.hasher';
import type { NodeHashes } from './subtree-hashing';
import { type NodeId, nodeKey, perfectCover } from './tree-geometry';

export interface HashedNode extends NodeId {
  readonly hash: Buffer;
}

/**
 * The right edge of a log: the perfect subtrees covering leaves [0, size), largest first (at most
 * log2(size) + 1 of them). Appending a leaf merges equal-sized neighbours, which yields every perfect
 * subtree the append completes: one leaf plus, amortised, one interior node per append.
 */
export class CompactRange {
  private constructor(
    private size: number,
    private readonly nodes: HashedNode[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Rebuilds the range from stored perfect subtrees, as listed by nodesForRoot(size). */
  static fromNodes(size: number, stored: NodeHashes): CompactRange {
    if (size === 0) return CompactRange.empty();
    const nodes = perfectCover({ begin: 0, end: size }).map((id) => {
      const hash = stored.get(nodeKey(id));
      if (hash === undefined) {
        throw new LedgerError('LEDGER.STORAGE_CORRUPT', `Missing hash of subtree ${nodeKey(id)}`, {
          metadata: { level: id.level, index: id.index },
        });
      }
      return { ...id, hash: Buffer.from(hash) };
    });
    return new CompactRange(size, nodes);
  }

  get treeSize(): number {
    return this.size;
  }

  /** Appends one leaf hash; returns the perfect subtrees it completes, the leaf itself first. */
  append(leafHash: Uint8Array): HashedNode[] {
    const completed: HashedNode[] = [{ level: 0, index: this.size, hash: Buffer.from(leafHash) }];
    this.nodes.push(completed[0] as HashedNode);
    this.size += 1;
    for (;;) {
      const right = this.nodes.at(-1);
      const left = this.nodes.at(-2);
      if (left === undefined || right === undefined || left.level !== right.level) break;
      this.nodes.length -= 2;
      const parent: HashedNode = {
        level: left.level + 1,
        index: left.index / 2,
        hash: hashChildren(left.hash, right.hash),
      };
      this.nodes.push(parent);
      completed.push(parent);
    }
    return completed;
  }

  root(): Buffer {
    let accumulator: Buffer | undefined;
    for (let i = this.nodes.length - 1; i >= 0; i -= 1) {
      const hash = (this.nodes[i] as HashedNode).hash;
      accumulator = accumulator === undefined ? hash : hashChildren(hash, accumulator);
    }
    return accumulator ?? Buffer.from(EMPTY_TREE_ROOT);
  }
}
