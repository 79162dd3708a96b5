/** One asset's change, keyed so that the executor acts at most once per key. */
export interface AssetChange {
  readonly idempotencyKey: string;
  readonly planId: string;
  /**
   * The plan's organisation: what the executor maps an asset to (e.g. its cloud group) is looked
   * up in it first. Absent only where no plan is involved (executor tests).
   */
  readonly organisation?: string;
  readonly assetId: string;
  /** Target version for `apply`; ignored by `revert`, which restores the version before the apply. */
  readonly toVersion: string;
  /** The apply a `revert` undoes. */
  readonly appliedKey?: string;
  /** Called while a long operation is awaited, so the activity can heartbeat. */
  readonly onProgress?: (detail: string) => void;
  /** The wave's concurrency, for executors that roll a whole group at a time (surge, batch size). */
  readonly maxConcurrency?: number;
}

export interface AssetChangeResult {
  readonly assetId: string;
  readonly outcome: 'succeeded' | 'failed' | 'skipped';
  readonly fromVersion: string | null;
  readonly toVersion: string | null;
  readonly detail?: string;
  /** False when the key had already been executed and the stored outcome was returned. */
  readonly executedNow: boolean;
}

/**
 * Agentless executors (cloud APIs, vSphere, the simulated fleet) behind one port. Each call is
 * idempotent by `idempotencyKey`.
 */
export interface RemediationExecutor {
  readonly name: string;
  apply(change: AssetChange): Promise<AssetChangeResult>;
  revert(change: AssetChange): Promise<AssetChangeResult>;
}
