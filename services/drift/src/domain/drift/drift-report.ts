import type { DriftGroupCounts } from './drift-counters';
import type { AssetPlatform, DriftCause, PowerState } from './drift.types';

export const DAY_MS = 86_400_000;

/** Which slice of the fleet a report covers; an absent dimension means all values. */
export interface ReportFilter {
  readonly environment?: string;
  readonly platform?: AssetPlatform;
  readonly site?: string;
}

export interface OutdatedAsset {
  readonly assetId: string;
  readonly family: string;
  readonly runningVersion: string;
  readonly expectedVersion: string;
  readonly cause: DriftCause;
  readonly driftAgeDays: number;
  readonly state: Exclude<PowerState, 'terminated'>;
  readonly environment: string;
  readonly platform: AssetPlatform;
  readonly site: string | null;
  readonly region: string;
}

/** Stopped assets drift too, but cannot be remediated until started: reported on their own. */
export interface StoppedCounts {
  readonly total: number;
  readonly compliant: number;
  readonly outdated: number;
}

/** The seed's DriftReport: one scope's coverage and its outdated assets. */
export interface DriftReport {
  readonly environment: string | null;
  readonly platform: AssetPlatform | null;
  readonly site: string | null;
  /** Managed assets in scope, stopped ones included; terminated ones never. */
  readonly totalAssets: number;
  readonly compliantAssets: number;
  readonly outdatedCount: number;
  readonly coveragePct: number;
  readonly stopped: StoppedCounts;
  /** Assets on no known golden image, or on a family with no prod version: outside coverage. */
  readonly unmanagedAssets: number;
  readonly outdatedAssets: readonly OutdatedAsset[];
  readonly calculatedAt: string;
}

export interface FamilyDriftReport {
  readonly family: string;
  readonly totalAssets: number;
  readonly compliantAssets: number;
  readonly outdatedCount: number;
  readonly coveragePct: number;
  readonly stopped: StoppedCounts;
}

export interface ScopeCounts {
  readonly total: number;
  readonly compliant: number;
  readonly outdated: number;
  readonly stopped: StoppedCounts;
  readonly unmanaged: number;
}

export type Rag = 'green' | 'amber' | 'red';

/** A point of a scope's trend. */
export interface TrendPoint {
  readonly takenAt: number;
  readonly total: number;
  readonly compliant: number;
  readonly outdated: number;
  readonly stopped: number;
  readonly coveragePct: number;
  readonly rag: Rag;
}

export function coveragePct(compliant: number, total: number): number {
  return total === 0 ? 100 : Math.round((compliant / total) * 10_000) / 100;
}

/** Coverage thresholds of the drift heatmap: red below 70 %, amber below 90 %. */
export function ragOf(coverage: number): Rag {
  if (coverage < 70) return 'red';
  if (coverage < 90) return 'amber';
  return 'green';
}

export function driftAgeDays(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / DAY_MS));
}

export function matchesFilter(group: DriftGroupCounts, filter: ReportFilter): boolean {
  return (
    (filter.environment === undefined || group.environment === filter.environment) &&
    (filter.platform === undefined || group.platform === filter.platform) &&
    (filter.site === undefined || group.site === filter.site)
  );
}

export function sumCounts(groups: Iterable<DriftGroupCounts>): ScopeCounts {
  let compliantRunning = 0;
  let driftingRunning = 0;
  let compliantStopped = 0;
  let driftingStopped = 0;
  let unmanaged = 0;
  for (const g of groups) {
    compliantRunning += g.compliantRunning;
    driftingRunning += g.driftingRunning;
    compliantStopped += g.compliantStopped;
    driftingStopped += g.driftingStopped;
    unmanaged += g.unmanagedRunning + g.unmanagedStopped;
  }
  const compliant = compliantRunning + compliantStopped;
  const outdated = driftingRunning + driftingStopped;
  return {
    total: compliant + outdated,
    compliant,
    outdated,
    stopped: {
      total: compliantStopped + driftingStopped,
      compliant: compliantStopped,
      outdated: driftingStopped,
    },
    unmanaged,
  };
}

function groupBy<K>(
  groups: readonly DriftGroupCounts[],
  key: (g: DriftGroupCounts) => K,
): Map<K, DriftGroupCounts[]> {
  const out = new Map<K, DriftGroupCounts[]>();
  for (const g of groups) {
    const k = key(g);
    const list = out.get(k);
    if (list === undefined) out.set(k, [g]);
    else list.push(g);
  }
  return out;
}

export interface FleetDriftReport {
  readonly calculatedAt: string;
  readonly filter: ReportFilter;
  /** The whole filtered scope, with its longest-drifting assets. */
  readonly summary: DriftReport;
  /** One report per (environment, platform, site) in scope, without the asset list. */
  readonly scopes: readonly DriftReport[];
  readonly families: readonly FamilyDriftReport[];
}

function scopeReport(
  scope: Pick<DriftReport, 'environment' | 'platform' | 'site'>,
  counts: ScopeCounts,
  outdatedAssets: readonly OutdatedAsset[],
  calculatedAt: string,
): DriftReport {
  return {
    ...scope,
    totalAssets: counts.total,
    compliantAssets: counts.compliant,
    outdatedCount: counts.outdated,
    coveragePct: coveragePct(counts.compliant, counts.total),
    stopped: counts.stopped,
    unmanagedAssets: counts.unmanaged,
    outdatedAssets,
    calculatedAt,
  };
}

/**
 * Builds the report of a filter from its counters, summed per scope and per family (or not summed:
 * any grouping finer than those sums the same), and its longest-drifting assets.
 */
export function buildFleetReport(
  byScope: readonly DriftGroupCounts[],
  byFamily: readonly DriftGroupCounts[],
  filter: ReportFilter,
  outdated: readonly OutdatedAsset[],
  now: number,
): FleetDriftReport {
  const calculatedAt = new Date(now).toISOString();
  const inScope = byScope.filter((g) => matchesFilter(g, filter));
  const scopes = [...groupBy(inScope, (g) => `${g.environment}\u0000${g.platform}\u0000${g.site ?? ''}`)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => {
      const [first] = list as [DriftGroupCounts];
      const scope = { environment: first.environment, platform: first.platform, site: first.site };
      return scopeReport(scope, sumCounts(list), [], calculatedAt);
    });
  const families = [
    ...groupBy(
      byFamily.filter((g) => g.family !== ''),
      (g) => g.family,
    ),
  ]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([family, list]) => {
      const counts = sumCounts(list);
      return {
        family,
        totalAssets: counts.total,
        compliantAssets: counts.compliant,
        outdatedCount: counts.outdated,
        coveragePct: coveragePct(counts.compliant, counts.total),
        stopped: counts.stopped,
      };
    });
  const summary = scopeReport(
    { environment: filter.environment ?? null, platform: filter.platform ?? null, site: filter.site ?? null },
    sumCounts(inScope),
    outdated,
    calculatedAt,
  );
  return { calculatedAt, filter, summary, scopes, families };
}

/** The scopes a snapshot covers: the fleet, each environment, each (environment, platform) and each site. */
export function snapshotScopes(
  groups: readonly DriftGroupCounts[],
): Map<string, { filter: ReportFilter; counts: ScopeCounts }> {
  const filters = new Map<string, ReportFilter>([['all', {}]]);
  for (const g of groups) {
    filters.set(scopeIdOf({ environment: g.environment }), { environment: g.environment });
    filters.set(scopeIdOf({ environment: g.environment, platform: g.platform }), {
      environment: g.environment,
      platform: g.platform,
    });
    if (g.site !== null) {
      const f = { environment: g.environment, platform: g.platform, site: g.site };
      filters.set(scopeIdOf(f), f);
    }
  }
  const out = new Map<string, { filter: ReportFilter; counts: ScopeCounts }>();
  for (const [id, filter] of filters) {
    out.set(id, { filter, counts: sumCounts(groups.filter((g) => matchesFilter(g, filter))) });
  }
  return out;
}

/** The canonical scope id of drift.snapshot: `all`, or key:value segments joined by `/`. */
export function scopeIdOf(filter: ReportFilter): string {
  const parts: string[] = [];
  if (filter.environment !== undefined) parts.push(`environment:${filter.environment}`);
  if (filter.platform !== undefined) parts.push(`platform:${filter.platform}`);
  if (filter.site !== undefined) parts.push(`site:${filter.site}`);
  return parts.length === 0 ? 'all' : parts.join('/');
}
