import type { ScanRecord, ScanStatus } from './scan.repository.port';

export interface ScanHistoryFilter {
  readonly connectorId?: string;
  readonly status?: ScanStatus;
}

/** Position in the scan history, newest first. */
export interface ScanHistoryCursor {
  readonly startedAt: Date;
  readonly scanId: string;
}

/** Read side of scan history, one organisation at a time. */
export interface ScanHistory {
  list(
    organisation: string,
    filter: ScanHistoryFilter,
    after: ScanHistoryCursor | undefined,
    limit: number,
  ): Promise<ScanRecord[]>;
  /** Another organisation's scan is absent. */
  get(organisation: string, scanId: string): Promise<ScanRecord | undefined>;
}
