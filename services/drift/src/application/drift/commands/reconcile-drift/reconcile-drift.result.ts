/** What a full reconcile found and repaired. */
export interface ReconcileDriftResult {
  readonly assets: number;
  readonly repairedAssets: number;
  readonly repairedGroups: number;
  readonly loadMs: number;
  readonly computeMs: number;
}
