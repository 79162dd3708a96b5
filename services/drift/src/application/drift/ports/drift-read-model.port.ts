import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { OutdatedAsset, ReportFilter, TrendPoint } from '../../../domain/drift/drift-report';

/** Stored drift snapshot of one scope. */
export interface DriftSnapshotRecord extends TrendPoint {
  readonly snapshotId: string;
  readonly organisation: string;
  readonly scopeId: string;
}

/**
 * Read side of the drift model, for reports and trends. Every read is of one organisation: there is
 * no read across organisations.
 */
export interface DriftReadModel {
  counters(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Counters in scope summed per (environment, platform, site); family is ''. */
  countersByScope(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Counters in scope of managed assets summed per family; environment and platform are ''. */
  countersByFamily(organisation: string, filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Drifting assets in scope, longest drifting first. */
  outdatedAssets(
    organisation: string,
    filter: ReportFilter,
    limit: number,
    now: number,
  ): Promise<OutdatedAsset[]>;
  /** The latest snapshot of each of the organisation's scopes. */
  latestSnapshots(organisation: string): Promise<Map<string, DriftSnapshotRecord>>;
  saveSnapshots(snapshots: readonly DriftSnapshotRecord[]): Promise<void>;
  /** Retention: drops every organisation's snapshots older than `time`. */
  deleteSnapshotsBefore(time: number): Promise<number>;
  trend(
    organisation: string,
    scopeId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<TrendPoint[]>;
}
