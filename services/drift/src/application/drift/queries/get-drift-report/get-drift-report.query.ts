import type { ReportFilter } from '../../../../domain/drift/drift-report';

/** The drift report of one organisation's fleet, or a slice of it. */
export class GetDriftReportQuery {
  constructor(
    readonly organisation: string,
    readonly filter: ReportFilter,
    /** How many of the longest-drifting assets the summary lists. */
    readonly limit: number,
  ) {}
}
