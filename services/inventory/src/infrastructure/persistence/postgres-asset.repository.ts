import { type CopyValue, copyRows, isUniqueViolation } from '@rf/platform-persistence';
import type { EntityManager, QueryRunner } from 'typeorm';
import type {
  AssetRemoval,
  AssetRepository,
  MissedAsset,
} from '../../application/ports/asset.repository.port';
import type { AssetState } from '../../domain/asset/asset-state';
import type { RemovalReason, Tags, TrackedAsset } from '../../domain/asset/asset.entity';
import type { Platform } from '../../domain/asset/platform';
import type { StoredFingerprint } from '../../domain/scan/scan-chunk.triage';

/** A transaction's connection; with its query runner, large batches are streamed with COPY. */
export type SqlExecutor = Pick<EntityManager, 'query'> & { readonly queryRunner?: QueryRunner | undefined };

export interface AssetRow {
  asset_id: string;
  organisation: string;
  connector_id: string;
  platform: Platform;
  account: string;
  region: string;
  instance_id: string;
  site: string | null;
  environment: string | null;
  project: string | null;
  image_ref: string | null;
  image_family: string | null;
  image_version: string | null;
  state: AssetState;
  tags: Tags;
  discovered_at: Date;
  last_seen_at: Date;
  last_seen_scan_id: string;
  missed_scans: number;
  removed_at: Date | null;
  removal_reason: RemovalReason | null;
  fingerprint: string;
}

const ASSET_COLUMNS = [
  ['asset_id', 'uuid'],
  ['organisation', 'text'],
  ['connector_id', 'uuid'],
  ['platform', 'text'],
  ['account', 'text'],
  ['region', 'text'],
  ['instance_id', 'text'],
  ['site', 'text'],
  ['environment', 'text'],
  ['project', 'text'],
  ['image_ref', 'text'],
  ['image_family', 'text'],
  ['image_version', 'text'],
  ['state', 'text'],
  ['tags', 'jsonb'],
  ['discovered_at', 'timestamptz'],
  ['last_seen_at', 'timestamptz'],
  ['last_seen_scan_id', 'uuid'],
  ['missed_scans', 'int4'],
  ['removed_at', 'timestamptz'],
  ['removal_reason', 'text'],
  ['fingerprint', 'text'],
] as const;

const ASSET_COLUMN_NAMES = ASSET_COLUMNS.map(([name]) => name);
export const COLUMN_LIST = ASSET_COLUMN_NAMES.join(', ');

// The id (which the organisation is part of) and the organisation never change.
const UPDATE_SET = ASSET_COLUMNS.filter(([name]) => name !== 'asset_id' && name !== 'organisation')
  .map(([name]) => `${name} = EXCLUDED.${name}`)
  .join(',\n    ');

// One array parameter per column: a constant-size statement, one round trip, whatever the batch size.
const UPSERT_SQL = `
  INSERT INTO assets (${COLUMN_LIST})
  SELECT * FROM unnest(${ASSET_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
  ON CONFLICT (asset_id) DO UPDATE SET
    ${UPDATE_SET}`;

export function toAsset(row: AssetRow): TrackedAsset {
  return {
    assetId: row.asset_id,
    organisation: row.organisation,
    connectorId: row.connector_id,
    platform: row.platform,
    account: row.account,
    region: row.region,
    instanceId: row.instance_id,
    site: row.site,
    environment: row.environment,
    project: row.project,
    imageRef: row.image_ref,
    imageFamily: row.image_family,
    imageVersion: row.image_version,
    state: row.state,
    tags: row.tags,
    discoveredAt: row.discovered_at,
    lastSeenAt: row.last_seen_at,
    lastSeenScanId: row.last_seen_scan_id,
    missedScans: row.missed_scans,
    removedAt: row.removed_at,
    removalReason: row.removal_reason,
    fingerprint: row.fingerprint,
  };
}

/** An asset as one COPY row, in COLUMN_LIST order. */
export function assetCopyRow(a: TrackedAsset): CopyValue[] {
  return [
    a.assetId,
    a.organisation,
    a.connectorId,
    a.platform,
    a.account,
    a.region,
    a.instanceId,
    a.site,
    a.environment,
    a.project,
    a.imageRef,
    a.imageFamily,
    a.imageVersion,
    a.state,
    JSON.stringify(a.tags),
    a.discoveredAt.toISOString(),
    a.lastSeenAt.toISOString(),
    a.lastSeenScanId,
    a.missedScans,
    a.removedAt?.toISOString() ?? null,
    a.removalReason,
    a.fingerprint,
  ];
}

function columnsOf(assets: readonly TrackedAsset[]): unknown[][] {
  const columns: unknown[][] = ASSET_COLUMNS.map(() => new Array<unknown>(assets.length));
  assets.forEach((a, i) => {
    assetCopyRow(a).forEach((value, c) => {
      const column = columns[c];
      if (column) column[i] = value;
    });
  });
  return columns;
}

// From this many rows on, a batch is streamed with COPY into a session-local staging table and merged
// with one INSERT … SELECT: no array parameters to build and parse. Smaller batches are not worth it.
const COPY_THRESHOLD = 256;

const ASSET_STAGING = 'inventory_asset_staging';

const MERGE_ASSETS_SQL = `
  INSERT INTO assets (${COLUMN_LIST})
  SELECT ${COLUMN_LIST} FROM ${ASSET_STAGING} ORDER BY asset_id
  ON CONFLICT (asset_id) DO UPDATE SET
    ${UPDATE_SET}`;

/**
 * Rows are written in asset-id order, so two transactions touching overlapping assets (scans of
 * different connectors that list the same machine) wait for each other instead of deadlocking.
 */
function inLockOrder<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * Assets in PostgreSQL, bound to the caller's transaction: a constant number of set-based statements
 * per call, whatever the batch size.
 */
export class PostgresAssetRepository implements AssetRepository {
  constructor(private readonly db: SqlExecutor) {}

  async findFingerprints(assetIds: readonly string[]): Promise<StoredFingerprint[]> {
    if (assetIds.length === 0) return [];
    const rows = await this.db.query<
      {
        asset_id: string;
        connector_id: string;
        last_seen_scan_id: string;
        removed: boolean;
        fingerprint: string;
      }[]
    >(
      `SELECT asset_id, connector_id, last_seen_scan_id, removed_at IS NOT NULL AS removed, fingerprint
       FROM assets WHERE asset_id = ANY($1::uuid[])`,
      [assetIds],
    );
    return rows.map((row) => ({
      assetId: row.asset_id,
      connectorId: row.connector_id,
      lastSeenScanId: row.last_seen_scan_id,
      removed: row.removed,
      fingerprint: row.fingerprint,
    }));
  }

  async findByIds(assetIds: readonly string[]): Promise<TrackedAsset[]> {
    if (assetIds.length === 0) return [];
    const rows = await this.db.query<AssetRow[]>(
      `SELECT ${COLUMN_LIST} FROM assets WHERE asset_id = ANY($1::uuid[])`,
      [assetIds],
    );
    return rows.map(toAsset);
  }

  async upsert(assets: readonly TrackedAsset[]): Promise<void> {
    if (assets.length === 0) return;
    if (assets.length >= COPY_THRESHOLD && this.db.queryRunner) {
      await this.stage(ASSET_STAGING, 'assets', ASSET_COLUMN_NAMES, assets.map(assetCopyRow));
      await this.db.query(MERGE_ASSETS_SQL);
      await this.db.query(`TRUNCATE ${ASSET_STAGING}`);
      return;
    }
    await this.db.query(UPSERT_SQL, columnsOf(inLockOrder(assets, (a) => a.assetId)));
  }

  async insert(unordered: readonly TrackedAsset[]): Promise<void> {
    if (unordered.length < COPY_THRESHOLD || !this.db.queryRunner) return this.upsert(unordered);
    const assets = inLockOrder(unordered, (a) => a.assetId);
    // Straight into the table: no staging copy, no merge. Another scan (of a connector that lists the
    // same machines) may have stored some of these since the chunk was read; then this batch is undone
    // to the savepoint and merged instead.
    await this.db.query('SAVEPOINT inventory_insert');
    try {
      await copyRows(this.db, 'assets', ASSET_COLUMN_NAMES, assets.map(assetCopyRow));
    } catch (error: unknown) {
      if (!isUniqueViolation(error)) throw error;
      await this.db.query('ROLLBACK TO SAVEPOINT inventory_insert');
      await this.upsert(assets);
    }
    await this.db.query('RELEASE SAVEPOINT inventory_insert');
  }

  async markSeen(assetIds: readonly string[], sighting: { scanId: string; seenAt: Date }): Promise<void> {
    if (assetIds.length === 0) return;
    await this.db.query(
      `UPDATE assets SET last_seen_at = $2, last_seen_scan_id = $3, missed_scans = 0
       WHERE asset_id = ANY($1::uuid[])`,
      [inLockOrder(assetIds, (id) => id), sighting.seenAt.toISOString(), sighting.scanId],
    );
  }

  async recordMisses(connectorId: string, scanId: string): Promise<MissedAsset[]> {
    const rows = await this.db.query<[AssetRow[], number]>(
      `UPDATE assets SET missed_scans = missed_scans + 1
       WHERE connector_id = $1 AND removed_at IS NULL AND last_seen_scan_id <> $2
       RETURNING ${COLUMN_LIST}`,
      [connectorId, scanId],
    );
    // TypeORM returns [rows, affected] for UPDATE … RETURNING.
    return rows[0].map((row) => ({ asset: toAsset(row), missedScans: row.missed_scans }));
  }

  async markRemoved(unordered: readonly AssetRemoval[]): Promise<void> {
    if (unordered.length === 0) return;
    const removals = inLockOrder(unordered, (r) => r.assetId);
    await this.db.query(
      `UPDATE assets a SET removed_at = r.removed_at, removal_reason = r.reason
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS r(asset_id, reason, removed_at)
       WHERE a.asset_id = r.asset_id`,
      [
        removals.map((r) => r.assetId),
        removals.map((r) => r.reason),
        removals.map((r) => r.removedAt.toISOString()),
      ],
    );
  }

  /** COPY into a staging table shaped like `like`, private to this connection and emptied at commit. */
  private async stage(
    staging: string,
    like: string,
    columns: readonly string[],
    rows: readonly (readonly CopyValue[])[],
  ): Promise<void> {
    await this.db.query(
      `CREATE TEMP TABLE IF NOT EXISTS ${staging} (LIKE ${like} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
    );
    await copyRows(this.db, staging, columns, rows);
  }
}
