import type { DataSource } from 'typeorm';
import type { HealthQuery, MetricProvider } from '../../application/ports/metric-provider.port';
import type { HealthSample } from '../../domain/health/health-verdict';

/**
 * Health of the simulated fleet: an asset on the target version is a bad observation when it is
 * marked unhealthy on that version. Assets that never reached the version say nothing.
 */
export class SimulatedFleetMetricProvider implements MetricProvider {
  readonly name = 'simulated';

  constructor(private readonly dataSource: DataSource) {}

  async sample(query: HealthQuery): Promise<HealthSample[]> {
    const [row] = await this.dataSource.query<{ total: string; bad: string }[]>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE unhealthy_on = version) AS bad
         FROM simulated_fleet_assets WHERE asset_id = ANY($1::uuid[]) AND version = $2`,
      [query.assetIds, query.toVersion],
    );
    return [{ source: this.name, bad: Number(row?.bad ?? 0), total: Number(row?.total ?? 0) }];
  }
}
