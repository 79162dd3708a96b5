import { buildFleetReport, type FleetDriftReport, scopeIdOf } from '../../../../domain/drift/drift-report';
import type { DriftClock } from '../../ports/drift-clock.port';
import type { DriftReadModel } from '../../ports/drift-read-model.port';
import type { GetDriftReportQuery } from './get-drift-report.query';

interface CachedReport {
  readonly at: number;
  readonly report: Promise<FleetDriftReport>;
}

/**
 * Serves the drift report of a filter. Reports are computed from the aggregate counters and cached
 * per filter for at most `maxAgeMs`, with one computation in flight per filter, so a dashboard
 * polling a large fleet costs the database one aggregate read per filter and period.
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
    const key = `${scopeIdOf(query.filter)}|${query.limit}`;
    const cached = this.cache.get(key);
    if (cached !== undefined && now - cached.at < this.maxAgeMs) return cached.report;
    const report = this.compute(query, now);
    this.cache.set(key, { at: now, report });
    // A failed computation is not cached: the next request tries again.
    report.catch(() => {
      if (this.cache.get(key)?.report === report) this.cache.delete(key);
    });
    if (this.cache.size > 1_000) this.evictOldest();
    return report;
  }

  private async compute(query: GetDriftReportQuery, now: number): Promise<FleetDriftReport> {
    const [groups, outdated] = await Promise.all([
      this.readModel.counters(query.filter),
      this.readModel.outdatedAssets(query.filter, query.limit, now),
    ]);
    return buildFleetReport(groups, query.filter, outdated, now);
  }

  private evictOldest(): void {
    const [oldest] = [...this.cache.entries()].sort(([, a], [, b]) => a.at - b.at);
    if (oldest !== undefined) this.cache.delete(oldest[0]);
  }
}
