import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AssetChange, AssetChangeResult } from '../../application/ports/remediation-executor.port';

export interface AppliedSideEffect {
  readonly outcome: AssetChangeResult['outcome'];
  readonly fromVersion: string | null;
  readonly toVersion: string | null;
}

/** A digest of an idempotency key, short enough for a tag, a comment or a resource name. */
export function keyDigest(key: string, length = 40): string {
  return createHash('sha256').update(key).digest('hex').slice(0, length);
}

/** A UUID derived from the key, for APIs whose client token must be a UUID. */
export function keyUuid(key: string): string {
  const h = keyDigest(key, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * What executors record: each key's outcome once (`executor_side_effects`) and, for long-running
 * operations, the operation a key started (`executor_operations`), written before it is awaited.
 */
export class SideEffectLedger {
  constructor(
    private readonly dataSource: DataSource,
    private readonly executor: string,
  ) {}

  async outcome(change: AssetChange, executedNow = false): Promise<AssetChangeResult | undefined> {
    const [row] = await this.dataSource.query<
      {
        outcome: AssetChangeResult['outcome'];
        from_version: string | null;
        to_version: string | null;
        detail: string | null;
      }[]
    >(
      'SELECT outcome, from_version, to_version, detail FROM executor_side_effects WHERE idempotency_key = $1',
      [change.idempotencyKey],
    );
    if (!row) return undefined;
    return {
      assetId: change.assetId,
      outcome: row.outcome,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      ...(row.detail ? { detail: row.detail } : {}),
      executedNow,
    };
  }

  /** The apply a revert undoes, when one was recorded. */
  async applied(appliedKey: string | undefined): Promise<AppliedSideEffect | undefined> {
    if (!appliedKey) return undefined;
    const [row] = await this.dataSource.query<
      { outcome: AssetChangeResult['outcome']; from_version: string | null; to_version: string | null }[]
    >('SELECT outcome, from_version, to_version FROM executor_side_effects WHERE idempotency_key = $1', [
      appliedKey,
    ]);
    return row
      ? { outcome: row.outcome, fromVersion: row.from_version, toVersion: row.to_version }
      : undefined;
  }

  /** Records the outcome unless one is already recorded, and returns the recorded one. */
  async settle(
    change: AssetChange,
    action: 'apply' | 'revert',
    outcome: AssetChangeResult['outcome'],
    from: string | null,
    to: string | null,
    detail: string,
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
        from,
        to,
        outcome,
        detail,
      ],
    );
    const result = await this.outcome(change, rows.length > 0);
    if (!result) throw new Error(`side effect ${change.idempotencyKey} is not recorded`);
    return result;
  }

  async operation<T extends object>(key: string): Promise<T | undefined> {
    const [row] = await this.dataSource.query<{ state: T }[]>(
      'SELECT state FROM executor_operations WHERE idempotency_key = $1',
      [key],
    );
    return row?.state;
  }

  /** Stores (or advances) the operation a key started. */
  async saveOperation(key: string, state: object): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO executor_operations (idempotency_key, executor, state, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (idempotency_key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [key, this.executor, JSON.stringify(state)],
    );
  }
}
