/** What a full reconcile found and repaired. */
export interface ReconcileDriftResult {
  readonly assets: number;
  readonly repairedAssets: number;
  readonly repairedGroups: number;
  /** Loading families and staging each version's verdict. */
  readonly loadMs: number;
  /** Judging every asset and recounting, in the database. */
  readonly computeMs: number;
}
