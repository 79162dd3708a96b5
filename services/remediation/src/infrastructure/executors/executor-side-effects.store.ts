import type { DataSource } from 'typeorm';
import type { AssetChange, AssetChangeResult } from '../../application/ports/remediation-executor.port';

/** Per-asset outcomes of an executor in `executor_side_effects`, one per idempotency key. */
export class ExecutorSideEffects {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: string,
  ) {}

  /** Records the outcome unless the key already has one; returns the stored outcome either way. */
  async record(
    change: AssetChange,
    action: 'apply' | 'revert',
    outcome: {
      readonly outcome: AssetChangeResult['outcome'];
      readonly from: string | null;
      readonly to: string | null;
      readonly detail: string;
    },
  ): Promise<AssetChangeResult> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO executor_side_effects (idempotency_key, executor, plan_id, asset_id, action, from_version,
         to_version, outcome, detail, executed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING idempotency_key`,
      [
        change.idempotencyKey,
        this.executor,
        change.planId,
        change.assetId,
        action,
        outcome.from,
        outcome.to,
        outcome.outcome,
        outcome.detail,
      ],
    );
    const result = await this.recorded(change.idempotencyKey, change.assetId, rows.length > 0);
    if (!result) throw new Error(`side effect ${change.idempotencyKey} is not recorded`);
    return result;
  }

  async recorded(key: string, assetId: string, executedNow = false): Promise<AssetChangeResult | undefined> {
    const [row] = await this.dataSource.query<
      {
        outcome: AssetChangeResult['outcome'];
        from_version: string | null;
        to_version: string | null;
        detail: string | null;
      }[]
    >(
      'SELECT outcome, from_version, to_version, detail FROM executor_side_effects WHERE idempotency_key = $1',
      [key],
    );
    if (!row) return undefined;
    return {
      assetId,
      outcome: row.outcome,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      ...(row.detail ? { detail: row.detail } : {}),
      executedNow,
    };
  }
}
