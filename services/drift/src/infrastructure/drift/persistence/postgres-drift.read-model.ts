import type { EntityManager } from 'typeorm';
import type {
  DriftReadModel,
  DriftSnapshotRecord,
} from '../../../application/drift/ports/drift-read-model.port';
import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import {
  driftAgeDays,
  type OutdatedAsset,
  type Rag,
  type ReportFilter,
  type TrendPoint,
} from '../../../domain/drift/drift-report';
import type { AssetPlatform, DriftCause } from '../../../domain/drift/drift.types';
import { COUNTER_DB_COLUMNS, COUNTER_SELECT, NON_ZERO } from './drift-rows';

const SUMS = COUNTER_DB_COLUMNS.map(
  (c) => `sum(${c})::float8 AS "${c.replace(/_([a-z])/gu, (_m: string, x: string) => x.toUpperCase())}"`,
).join(', ');
const SUMS_NON_ZERO = COUNTER_DB_COLUMNS.map((c) => `sum(${c}) <> 0`).join(' OR ');

/** One organisation's rows ($4) in a report's scope ($1 environment, $2 platform, $3 site). */
const FILTER = `organisation = $4 AND ($1::text IS NULL OR environment = $1) AND ($2::text IS NULL OR platform = $2)
  AND ($3::text IS NULL OR site = $3)`;

interface SnapshotRow {
  snapshot_id: string;
  scope_id: string;
  taken_at: number;
  total: number;
  compliant: number;
  outdated: number;
  stopped: number;
  coverage_pct: number;
  rag: Rag;
}

const SNAPSHOT_SELECT = `snapshot_id, scope_id, (extract(epoch FROM taken_at) * 1000)::float8 AS taken_at,
  total, compliant, outdated, stopped, coverage_pct::float8 AS coverage_pct, rag`;

function point(row: SnapshotRow): TrendPoint {
  return {
    takenAt: row.taken_at,
    total: row.total,
    compliant: row.compliant,
    outdated: row.outdated,
    stopped: row.stopped,
    coveragePct: row.coverage_pct,
    rag: row.rag,
  };
}

/** Reports and trends read from the drift tables, each of one organisation. */
export class PostgresDriftReadModel implements DriftReadModel {
  constructor(private readonly db: Pick<EntityManager, 'query'>) {}

  counters(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]> {
    return this.db.query<DriftGroupCounts[]>(
      `SELECT ${COUNTER_SELECT} FROM drift_counters WHERE ${FILTER} AND (${NON_ZERO})`,
      [filter.environment ?? null, filter.platform ?? null, filter.site ?? null, organisation],
    );
  }

  countersByScope(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]> {
    return this.db.query<DriftGroupCounts[]>(
      `SELECT environment, platform, NULLIF(site, '') AS site, '' AS family, ${SUMS}
         FROM drift_counters WHERE ${FILTER}
        GROUP BY environment, platform, site HAVING ${SUMS_NON_ZERO}`,
      [filter.environment ?? null, filter.platform ?? null, filter.site ?? null, organisation],
    );
  }

  countersByFamily(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]> {
    return this.db.query<DriftGroupCounts[]>(
      `SELECT '' AS environment, '' AS platform, NULL AS site, family, ${SUMS}
         FROM drift_counters WHERE ${FILTER} AND family <> ''
        GROUP BY family HAVING ${SUMS_NON_ZERO}`,
      [filter.environment ?? null, filter.platform ?? null, filter.site ?? null, organisation],
    );
  }

  async outdatedAssets(
    organisation: string,
    filter: ReportFilter,
    limit: number,
    now: number,
  ): Promise<OutdatedAsset[]> {
    if (limit === 0) return [];
    const rows = await this.db.query<
      {
        asset_id: string;
        family: string;
        version: string;
        expected_version: string;
        cause: DriftCause;
        since_ms: number;
        state: 'running' | 'stopped';
        environment: string;
        platform: AssetPlatform;
        site: string | null;
        region: string;
      }[]
    >(
      `SELECT asset_id, family, version, expected_version, cause, (extract(epoch FROM since) * 1000)::float8 AS since_ms,
              state, environment, platform, site, region
         FROM drift_assets
        WHERE verdict = 'drifting' AND ${FILTER}
        -- The column, not the output alias: drift_assets_drifting_idx gives this order without a sort.
        ORDER BY drift_assets.since, asset_id
        LIMIT $5`,
      [filter.environment ?? null, filter.platform ?? null, filter.site ?? null, organisation, limit],
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      family: r.family,
      runningVersion: r.version,
      expectedVersion: r.expected_version,
      cause: r.cause,
      driftAgeDays: driftAgeDays(r.since_ms, now),
      state: r.state,
      environment: r.environment,
      platform: r.platform,
      site: r.site,
      region: r.region,
    }));
  }

  async latestSnapshots(organisation: string): Promise<Map<string, DriftSnapshotRecord>> {
    const rows = await this.db.query<SnapshotRow[]>(
      `SELECT DISTINCT ON (scope_id) ${SNAPSHOT_SELECT} FROM drift_snapshots
        WHERE organisation = $1 ORDER BY scope_id, taken_at DESC`,
      [organisation],
    );
    return new Map(
      rows.map((r) => [
        r.scope_id,
        { ...point(r), snapshotId: r.snapshot_id, organisation, scopeId: r.scope_id },
      ]),
    );
  }

  async saveSnapshots(snapshots: readonly DriftSnapshotRecord[]): Promise<void> {
    if (snapshots.length === 0) return;
    await this.db.query(
      `INSERT INTO drift_snapshots (snapshot_id, organisation, scope_id, taken_at, total, compliant, outdated, stopped,
         coverage_pct, rag)
       SELECT * FROM unnest($1::uuid[], $10::text[], $2::text[], $3::timestamptz[], $4::int[], $5::int[], $6::int[],
                            $7::int[], $8::numeric[], $9::text[])`,
      [
        snapshots.map((s) => s.snapshotId),
        snapshots.map((s) => s.scopeId),
        snapshots.map((s) => new Date(s.takenAt).toISOString()),
        snapshots.map((s) => s.total),
        snapshots.map((s) => s.compliant),
        snapshots.map((s) => s.outdated),
        snapshots.map((s) => s.stopped),
        snapshots.map((s) => s.coveragePct),
        snapshots.map((s) => s.rag),
        snapshots.map((s) => s.organisation),
      ],
    );
  }

  async deleteSnapshotsBefore(time: number): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>(
      'WITH gone AS (DELETE FROM drift_snapshots WHERE taken_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [new Date(time).toISOString()],
    );
    return row?.n ?? 0;
  }

  async trend(
    organisation: string,
    scopeId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<TrendPoint[]> {
    const rows = await this.db.query<SnapshotRow[]>(
      `SELECT ${SNAPSHOT_SELECT} FROM drift_snapshots
        WHERE organisation = $5 AND scope_id = $1 AND taken_at >= $2 AND taken_at <= $3 ORDER BY taken_at LIMIT $4`,
      [scopeId, new Date(from).toISOString(), new Date(to).toISOString(), limit, organisation],
    );
    return rows.map(point);
  }
}
