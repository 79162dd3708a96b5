import type { ReportFilter } from '../../../../domain/drift/drift-report';

export class GetDriftTrendQuery {
  constructor(
    readonly filter: ReportFilter,
    readonly from: number,
    readonly to: number,
    readonly limit: number,
  ) {}
}
