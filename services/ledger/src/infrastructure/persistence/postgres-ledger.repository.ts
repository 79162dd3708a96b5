import {
  CompactRange,
  consistencyProofFromNodes,
  EMPTY_TREE_ROOT,
  type HashedNode,
  inclusionProofFromNodes,
  LedgerError,
  type NodeHashes,
  type NodeId,
  nodeKey,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  nodesForRoot,
  rootFromNodes,
  sameHash,
} from '@rf/platform-ledger-proof';
import { type DataSource, EntityManager } from 'typeorm';
import {
  type AppendBatchResult,
  type AppendOutcome,
  type EntryScope,
  EVERY_ORGANISATION,
  type LeafToAppend,
  type LedgerRepository,
  type StoredCheckpoint,
} from '../../application/ports/ledger.repository.port';
import type { LedgerEntry } from '../../domain/entry/ledger-entry';

type Executor = Pick<EntityManager, 'query'>;

interface EntryRow {
  index: string;
  event_id: string;
  leaf: Buffer;
  leaf_hash: Buffer;
  payload_hash: string;
  payload_ref: string;
  appended_at: Date;
  organisation: string | null;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  signed_at: Date;
}

/** Subtree hashes per query when many are read at once (audit bundles). */
const READ_CHUNK = 20_000;

const ENTRY_COLUMNS =
  'index, event_id, leaf, leaf_hash, payload_hash, payload_ref, appended_at, organisation';

/** The condition that keeps a read within `scope`, its organisation appended to `params`. */
function scopeCondition(scope: EntryScope, params: unknown[]): string {
  if (scope === EVERY_ORGANISATION) return 'true';
  params.push(scope.organisation);
  return `(organisation = $${params.length} OR organisation IS NULL)`;
}

function toEntry(row: EntryRow): LedgerEntry {
  return {
    index: Number(row.index),
    eventId: row.event_id,
    leaf: row.leaf,
    leafHash: row.leaf_hash,
    payloadHash: row.payload_hash,
    payloadRef: row.payload_ref,
    appendedAt: row.appended_at,
    organisation: row.organisation,
  };
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    note: row.note,
    signedAt: row.signed_at,
  };
}

/**
 * The ledger in PostgreSQL. Every complete perfect subtree is stored once, when its last leaf arrives
 * (on average one interior node per leaf), so a root or proof for any tree size reads O(log n) hashes
 * in one query, and an append reads the O(log n) hashes of the log's right edge.
 *
 * Built on a DataSource, each append is its own transaction. Built on the EntityManager of an open
 * transaction (an inbox handler's), appends and reads join it, so they commit or roll back with it.
 */
export class PostgresLedgerRepository implements LedgerRepository {
  constructor(private readonly db: DataSource | EntityManager) {}

  append(leaves: readonly LeafToAppend[]): Promise<AppendBatchResult> {
    return this.inTransaction(async (manager) => {
      const [head] = await manager.query<{ tree_size: string }[]>(
        'SELECT tree_size FROM ledger_head WHERE id = 1 FOR UPDATE',
      );
      if (head === undefined)
        throw new LedgerError('LEDGER.STORAGE_CORRUPT', 'The ledger head row is missing');
      const size = Number(head.tree_size);

      const known = new Map<string, { index: number; leafHash: Buffer }>();
      const existing = await manager.query<{ event_id: string; index: string; leaf_hash: Buffer }[]>(
        'SELECT event_id, index, leaf_hash FROM ledger_entries WHERE event_id = ANY($1::text[])',
        [[...new Set(leaves.map((l) => l.eventId))]],
      );
      for (const row of existing)
        known.set(row.event_id, { index: Number(row.index), leafHash: row.leaf_hash });

      const fresh: LeafToAppend[] = [];
      const outcomes: AppendOutcome[] = leaves.map((leaf) => {
        const seen = known.get(leaf.eventId);
        if (seen !== undefined) {
          const status = sameHash(seen.leafHash, leaf.leafHash) ? 'duplicate' : 'conflict';
          return { eventId: leaf.eventId, index: seen.index, leafHash: seen.leafHash, status };
        }
        const index = size + fresh.length;
        fresh.push(leaf);
        known.set(leaf.eventId, { index, leafHash: leaf.leafHash });
        return { eventId: leaf.eventId, index, leafHash: leaf.leafHash, status: 'appended' };
      });
      if (fresh.length === 0) return { outcomes, treeSize: size };

      const edge = CompactRange.fromNodes(size, await this.readNodes(manager, nodesForRoot(size)));
      const interior: HashedNode[] = [];
      for (const leaf of fresh) {
        for (const node of edge.append(leaf.leafHash)) if (node.level > 0) interior.push(node);
      }
      await manager.query(
        `INSERT INTO ledger_entries (${ENTRY_COLUMNS})
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[], $5::text[], $6::text[],
           $7::timestamptz[], $8::text[])`,
        [
          fresh.map((_, i) => size + i),
          fresh.map((l) => l.eventId),
          fresh.map((l) => l.leaf),
          fresh.map((l) => l.leafHash),
          fresh.map((l) => l.payloadHash),
          fresh.map((l) => l.payloadRef),
          fresh.map((l) => l.appendedAt),
          fresh.map((l) => l.organisation),
        ],
      );
      if (interior.length > 0) {
        await manager.query(
          'INSERT INTO ledger_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
          [interior.map((n) => n.level), interior.map((n) => n.index), interior.map((n) => n.hash)],
        );
      }
      await manager.query('UPDATE ledger_head SET tree_size = $1 WHERE id = 1', [edge.treeSize]);
      return { outcomes, treeSize: edge.treeSize };
    });
  }

  async treeSize(): Promise<number> {
    const [head] = await this.db.query<{ tree_size: string }[]>(
      'SELECT tree_size FROM ledger_head WHERE id = 1',
    );
    if (head === undefined) throw new LedgerError('LEDGER.STORAGE_CORRUPT', 'The ledger head row is missing');
    return Number(head.tree_size);
  }

  async rootAt(treeSize: number): Promise<Buffer> {
    if (treeSize === 0) return Buffer.from(EMPTY_TREE_ROOT);
    const ids = nodesForRoot(treeSize);
    return rootFromNodes(treeSize, await this.readNodesWithin(ids, treeSize));
  }

  async inclusionProof(index: number, treeSize: number): Promise<Buffer[]> {
    // The leaf itself is read too: with it, finding every node proves the tree reaches treeSize.
    const ids = [...nodesForInclusionProof(index, treeSize), { level: 0, index }];
    return inclusionProofFromNodes(index, treeSize, await this.readNodesWithin(ids, treeSize));
  }

  async inclusionProofs(indexes: readonly number[], treeSize: number): Promise<Buffer[][]> {
    if (indexes.length === 0) return [];
    const wanted = new Map<string, NodeId>();
    for (const index of indexes) {
      for (const id of [...nodesForInclusionProof(index, treeSize), { level: 0, index }])
        wanted.set(nodeKey(id), id);
    }
    const nodes = await this.readNodesWithin([...wanted.values()], treeSize);
    return indexes.map((index) => inclusionProofFromNodes(index, treeSize, nodes));
  }

  async consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]> {
    const ids = nodesForConsistencyProof(fromSize, toSize);
    if (ids.length === 0) {
      // Nothing to read, but the sizes must still exist.
      const size = await this.treeSize();
      if (toSize > size) this.beyondTheLog(toSize, size);
      return [];
    }
    return consistencyProofFromNodes(fromSize, toSize, await this.readNodesWithin(ids, toSize));
  }

  async entryAt(index: number, scope: EntryScope): Promise<LedgerEntry | undefined> {
    const params: unknown[] = [index];
    const [row] = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE index = $1 AND ${scopeCondition(scope, params)}`,
      params,
    );
    return row === undefined ? undefined : toEntry(row);
  }

  async entryByEventId(eventId: string, scope: EntryScope): Promise<LedgerEntry | undefined> {
    const params: unknown[] = [eventId];
    const [row] = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE event_id = $1 AND ${scopeCondition(scope, params)}`,
      params,
    );
    return row === undefined ? undefined : toEntry(row);
  }

  async entryByLeafHash(leafHash: Uint8Array, scope: EntryScope): Promise<LedgerEntry | undefined> {
    const params: unknown[] = [Buffer.from(leafHash)];
    const [row] = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE leaf_hash = $1 AND ${scopeCondition(scope, params)}
        ORDER BY index LIMIT 1`,
      params,
    );
    return row === undefined ? undefined : toEntry(row);
  }

  async entries(fromIndex: number, toIndex: number, scope: EntryScope): Promise<LedgerEntry[]> {
    const params: unknown[] = [fromIndex, toIndex];
    const rows = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
        WHERE index >= $1 AND index < $2 AND ${scopeCondition(scope, params)} ORDER BY index`,
      params,
    );
    return rows.map(toEntry);
  }

  async entriesAppendedBetween(
    from: Date,
    to: Date,
    belowIndex: number,
    limit: number,
    scope: EntryScope,
  ): Promise<LedgerEntry[]> {
    const params: unknown[] = [from, to, belowIndex, limit];
    const rows = await this.db.query<EntryRow[]>(
      `SELECT ${ENTRY_COLUMNS} FROM ledger_entries
        WHERE appended_at >= $1 AND appended_at < $2 AND index < $3 AND ${scopeCondition(scope, params)}
        ORDER BY index LIMIT $4`,
      params,
    );
    return rows.map(toEntry);
  }

  async countAppendedBetween(from: Date, to: Date, fromIndex: number, scope: EntryScope): Promise<number> {
    const params: unknown[] = [from, to, fromIndex];
    const [row] = await this.db.query<{ count: string }[]>(
      `SELECT count(*) FROM ledger_entries
        WHERE appended_at >= $1 AND appended_at < $2 AND index >= $3 AND ${scopeCondition(scope, params)}`,
      params,
    );
    return Number(row?.count ?? 0);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.db.query<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note, signed_at FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.db.query<CheckpointRow[]>(
      'SELECT tree_size, root_hash, note, signed_at FROM ledger_checkpoints WHERE tree_size = $1',
      [treeSize],
    );
    return row === undefined ? undefined : toCheckpoint(row);
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    await this.db.query(
      `INSERT INTO ledger_checkpoints (tree_size, root_hash, note, signed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tree_size) DO NOTHING`,
      [checkpoint.treeSize, checkpoint.rootHash, checkpoint.note, checkpoint.signedAt],
    );
    const stored = await this.checkpointAt(checkpoint.treeSize);
    if (stored === undefined) throw new LedgerError('LEDGER.STORAGE_CORRUPT', 'A saved checkpoint vanished');
    return stored;
  }

  private inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.db instanceof EntityManager && this.db.queryRunner?.isTransactionActive === true) {
      return work(this.db);
    }
    return this.db.transaction(work);
  }

  /** Reads stored hashes; leaves come from ledger_entries, interior nodes from ledger_nodes. */
  private async readNodes(executor: Executor, ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    if (ids.length > READ_CHUNK) {
      const merged = new Map<string, Buffer>();
      for (let i = 0; i < ids.length; i += READ_CHUNK) {
        for (const [key, hash] of await this.readNodes(executor, ids.slice(i, i + READ_CHUNK)))
          merged.set(key, hash);
      }
      return merged;
    }
    if (ids.length === 0) return new Map();
    const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
    const interior = ids.filter((id) => id.level > 0);
    const rows = await executor.query<{ level: number; idx: string; hash: Buffer }[]>(
      `SELECT 0 AS level, index AS idx, leaf_hash AS hash FROM ledger_entries WHERE index = ANY($1::bigint[])
       UNION ALL
       SELECT n.level, n.idx, n.hash
         FROM unnest($2::smallint[], $3::bigint[]) AS wanted(level, idx)
         JOIN ledger_nodes n ON n.level = wanted.level AND n.idx = wanted.idx`,
      [leaves, interior.map((id) => id.level), interior.map((id) => id.index)],
    );
    return new Map(rows.map((row) => [nodeKey({ level: row.level, index: Number(row.idx) }), row.hash]));
  }

  /**
   * Reads the nodes for a tree of `treeSize`. Nodes are written only once complete, so when every one is
   * found the tree reaches that size; when some are missing, tells a size beyond the log from corruption.
   */
  private async readNodesWithin(ids: readonly NodeId[], treeSize: number): Promise<NodeHashes> {
    const nodes = await this.readNodes(this.db, ids);
    if (ids.every((id) => nodes.has(nodeKey(id)))) return nodes;
    const size = await this.treeSize();
    if (treeSize > size) this.beyondTheLog(treeSize, size);
    const missing = ids.filter((id) => !nodes.has(nodeKey(id))).map(nodeKey);
    throw new LedgerError(
      'LEDGER.STORAGE_CORRUPT',
      `Stored subtree hashes are missing: ${missing.join(', ')}`,
      {
        metadata: { treeSize },
      },
    );
  }

  private beyondTheLog(treeSize: number, size: number): never {
    throw new LedgerError('LEDGER.INVALID_TREE_RANGE', `Tree size ${treeSize} is beyond the log (${size})`, {
      metadata: { treeSize, size },
    });
  }
}
