import type { ReportFilter } from '../../../../domain/drift/drift-report';

/** Coverage over time of one organisation's scope. */
export class GetDriftTrendQuery {
  constructor(
    readonly organisation: string,
    readonly filter: ReportFilter,
    readonly from: number,
    readonly to: number,
    readonly limit: number,
  ) {}
}
