import { scopeIdOf, type TrendPoint } from '../../../../domain/drift/drift-report';
import type { DriftReadModel } from '../../ports/drift-read-model.port';
import type { GetDriftTrendQuery } from './get-drift-trend.query';

export interface DriftTrend {
  readonly scopeId: string;
  readonly from: string;
  readonly to: string;
  readonly points: readonly TrendPoint[];
}

/** Coverage over time for one scope of one organisation, from its snapshots. */
export class GetDriftTrendHandler {
  constructor(private readonly readModel: DriftReadModel) {}

  async execute(query: GetDriftTrendQuery): Promise<DriftTrend> {
    const scopeId = scopeIdOf(query.filter);
    return {
      scopeId,
      from: new Date(query.from).toISOString(),
      to: new Date(query.to).toISOString(),
      points: await this.readModel.trend(query.organisation, scopeId, query.from, query.to, query.limit),
    };
  }
}
