import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { OutdatedAsset, ReportFilter, TrendPoint } from '../../../domain/drift/drift-report';

/** Stored drift snapshot of one scope. */
export interface DriftSnapshotRecord extends TrendPoint {
  readonly snapshotId: string;
  readonly scopeId: string;
}

/** Read side of the drift model, for reports and trends. */
export interface DriftReadModel {
  counters(filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Counters in scope summed per (environment, platform, site); family is ''. */
  countersByScope(filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Counters in scope of managed assets summed per family; environment and platform are ''. */
  countersByFamily(filter: ReportFilter): Promise<DriftGroupCounts[]>;
  /** Drifting assets in scope, longest drifting first. */
  outdatedAssets(filter: ReportFilter, limit: number, now: number): Promise<OutdatedAsset[]>;
  latestSnapshots(): Promise<Map<string, DriftSnapshotRecord>>;
  saveSnapshots(snapshots: readonly DriftSnapshotRecord[]): Promise<void>;
  deleteSnapshotsBefore(time: number): Promise<number>;
  trend(scopeId: string, from: number, to: number, limit: number): Promise<TrendPoint[]>;
}
