import type { ReportFilter } from '../../../../domain/drift/drift-report';

export class GetDriftReportQuery {
  constructor(
    readonly filter: ReportFilter,
    /** How many of the longest-drifting assets the summary lists. */
    readonly limit: number,
  ) {}
}
