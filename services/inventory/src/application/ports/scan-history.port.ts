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

/** Read side of scan history. */
export interface ScanHistory {
  list(filter: ScanHistoryFilter, after: ScanHistoryCursor | undefined, limit: number): Promise<ScanRecord[]>;
  get(scanId: string): Promise<ScanRecord | undefined>;
}
