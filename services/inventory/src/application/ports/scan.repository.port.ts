import type { Platform } from '../../domain/asset/platform';
import type { ScanProblem } from '../../domain/scan/scan-problem';
import type { ScanCounts } from '../../domain/scan/scan-tally';

/** `skipped`: a scheduled slot that did not run because the connector's previous scan still ran. */
export type ScanStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'abandoned' | 'skipped';

export const SCAN_STATUSES: readonly ScanStatus[] = [
  'running',
  'succeeded',
  'partial',
  'failed',
  'abandoned',
  'skipped',
];

/** What started a scan: its connector's cron schedule, or a request. */
export type ScanTrigger = 'scheduled' | 'on_demand';

export interface ScanRecord {
  readonly scanId: string;
  /** Its connector's organisation. */
  readonly organisation: string;
  readonly connectorId: string;
  readonly connectorKind: Platform;
  readonly sequence: number;
  readonly trigger: ScanTrigger;
  readonly status: ScanStatus;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly counts: ScanCounts;
  readonly problems: readonly ScanProblem[];
}

export interface NewScan {
  readonly scanId: string;
  readonly organisation: string;
  readonly connectorId: string;
  readonly connectorKind: Platform;
  readonly trigger: ScanTrigger;
  readonly startedAt: Date;
}

/** Scan history, bound to one transaction. */
export interface ScanRepository {
  /**
   * Records a running scan and returns its sequence number. Scans of the connector still marked
   * running are marked abandoned: the caller holds the connector's scan lock, so they are dead.
   */
  start(scan: NewScan): Promise<number>;
  /**
   * Records a scheduled slot that did not run because another scan of the connector held its lock,
   * with the reason as its problem. Leaves the running scan alone.
   */
  recordSkipped(scan: NewScan, finishedAt: Date, problem: ScanProblem): Promise<void>;
  /**
   * Stores the running totals. Fails with `INVENTORY.SCAN_LEASE_LOST` when the scan is no longer
   * running (another process took over), so the caller's transaction rolls back.
   */
  recordProgress(scanId: string, counts: ScanCounts): Promise<void>;
  finish(
    scanId: string,
    result: { status: ScanStatus; finishedAt: Date; counts: ScanCounts; problems: readonly ScanProblem[] },
  ): Promise<void>;
  /** Most recent first. */
  history(connectorId: string, limit: number): Promise<ScanRecord[]>;
  /**
   * Deletes finished scans that started before `startedBefore`, except each connector's `keepLatest`
   * most recent ones. Returns how many were deleted.
   */
  prune(retention: { startedBefore: Date; keepLatest: number }): Promise<number>;
}
