import { buildFleetReport, type FleetDriftReport, scopeIdOf } from '../../../../domain/drift/drift-report';
import type { DriftClock } from '../../ports/drift-clock.port';
import type { DriftReadModel } from '../../ports/drift-read-model.port';
import type { GetDriftReportQuery } from './get-drift-report.query';

interface CachedReport {
  at: number;
  report: Promise<FleetDriftReport>;
  refreshing: boolean;
}

const MAX_CACHED_FILTERS = 1_000;

/**
 * Serves the drift report of an organisation's filter, summed by the database from that organisation's
 * aggregate counters; reports are cached per (organisation, filter, limit). With a
 * positive `maxAgeMs`, a report older than that is served once more while a single refresh runs, so
 * under load requests never queue behind a recomputation and a filter costs the database one read
 * per period; with 0, every request reads.
 */
export class GetDriftReportHandler {
  private readonly cache = new Map<string, CachedReport>();

  constructor(
    private readonly readModel: DriftReadModel,
    private readonly clock: DriftClock,
    private readonly maxAgeMs: number,
  ) {}

  execute(query: GetDriftReportQuery): Promise<FleetDriftReport> {
    const now = this.clock.now().getTime();
    if (this.maxAgeMs === 0) return this.compute(query, now);
    const key = `${query.organisation}|${scopeIdOf(query.filter)}|${query.limit}`;
    const cached = this.cache.get(key);
    if (cached === undefined) {
      const entry: CachedReport = { at: now, report: this.compute(query, now), refreshing: false };
      this.remember(key, entry);
      return entry.report;
    }
    if (now - cached.at >= this.maxAgeMs && !cached.refreshing) {
      cached.refreshing = true;
      const next = this.compute(query, now);
      next.then(
        () => {
          cached.at = now;
          cached.report = next;
          cached.refreshing = false;
        },
        () => {
          // The stale report stays; the next request tries again.
          cached.refreshing = false;
        },
      );
    }
    return cached.report;
  }

  private remember(key: string, entry: CachedReport): void {
    this.cache.set(key, entry);
    // A failed first computation is not kept: the next request tries again.
    entry.report.catch(() => {
      if (this.cache.get(key) === entry) this.cache.delete(key);
    });
    if (this.cache.size > MAX_CACHED_FILTERS) {
      const [oldest] = [...this.cache.entries()].sort(([, a], [, b]) => a.at - b.at);
      if (oldest !== undefined) this.cache.delete(oldest[0]);
    }
  }

  private async compute(query: GetDriftReportQuery, now: number): Promise<FleetDriftReport> {
    const [byScope, byFamily, outdated] = await Promise.all([
      this.readModel.countersByScope(query.organisation, query.filter),
      this.readModel.countersByFamily(query.organisation, query.filter),
      this.readModel.outdatedAssets(query.organisation, query.filter, query.limit, now),
    ]);
    return buildFleetReport(byScope, byFamily, query.filter, outdated, now);
  }
}
