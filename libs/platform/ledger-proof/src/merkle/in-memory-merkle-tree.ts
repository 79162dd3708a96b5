import { LedgerError } from '../ledger.error';
import { CompactRange } from './compact-range';
import { hashLeaf } from './rfc6962.hasher';
import {
  consistencyProofFromNodes,
  inclusionProofFromNodes,
  type NodeHashes,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  nodesForRoot,
  rootFromNodes,
} from './subtree-hashing';
import { type NodeId, nodeKey } from './tree-geometry';

/**
 * A whole log in memory, holding every perfect subtree by level. Roots and proofs read O(log n) stored
 * hashes, exactly like the PostgreSQL repository; used as a reference in tests and by offline audits.
 */
export class InMemoryMerkleTree {
  private readonly levels: Buffer[][] = [[]];
  private readonly edge = CompactRange.empty();

  static fromLeaves(leaves: Iterable<Uint8Array>): InMemoryMerkleTree {
    const tree = new InMemoryMerkleTree();
    for (const leaf of leaves) tree.appendLeaf(leaf);
    return tree;
  }

  get size(): number {
    return this.edge.treeSize;
  }

  appendLeaf(leaf: Uint8Array): Buffer {
    const leafHash = hashLeaf(leaf);
    this.appendLeafHash(leafHash);
    return leafHash;
  }

  appendLeafHash(leafHash: Uint8Array): void {
    for (const node of this.edge.append(leafHash)) {
      const level = (this.levels[node.level] ??= []);
      level[node.index] = node.hash;
    }
  }

  leafHash(index: number): Buffer {
    return this.node({ level: 0, index });
  }

  root(size = this.size): Buffer {
    this.assertSize(size);
    return size === this.size ? this.edge.root() : rootFromNodes(size, this.lookup(nodesForRoot(size)));
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    this.assertSize(size);
    return inclusionProofFromNodes(index, size, this.lookup(nodesForInclusionProof(index, size)));
  }

  consistencyProof(from: number, to = this.size): Buffer[] {
    this.assertSize(to);
    return consistencyProofFromNodes(from, to, this.lookup(nodesForConsistencyProof(from, to)));
  }

  private node(id: NodeId): Buffer {
    const hash = this.levels[id.level]?.[id.index];
    if (hash === undefined) {
      throw new LedgerError(
        'LEDGER.INVALID_TREE_RANGE',
        `No subtree ${nodeKey(id)} in a tree of ${this.size}`,
      );
    }
    return hash;
  }

  private lookup(ids: readonly NodeId[]): NodeHashes {
    return new Map(ids.map((id) => [nodeKey(id), this.node(id)]));
  }

  private assertSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new LedgerError(
        'LEDGER.INVALID_TREE_RANGE',
        `Tree size ${size} is beyond the log (${this.size})`,
      );
    }
  }
}
