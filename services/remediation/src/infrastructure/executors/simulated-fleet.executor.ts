import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type {
  AssetChange,
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';

export interface SimulatedFleetSettings {
  /** Each change takes a uniformly random time in [min, max] ms, like an API call plus a reboot. */
  readonly latencyMs: { readonly min: number; readonly max: number };
  /** Share of applies that fail, 0..1; decided per asset and plan, so a retry fails the same way. */
  readonly failureRate: number;
  /** Version an unknown asset is assumed to run when the fleet first sees it. */
  readonly initialVersion: string;
}

export const DEFAULT_SIMULATED_FLEET: SimulatedFleetSettings = {
  latencyMs: { min: 50, max: 250 },
  failureRate: 0,
  initialVersion: 'unknown',
};

interface EffectRow {
  outcome: AssetChangeResult['outcome'];
  from_version: string | null;
  to_version: string | null;
  detail: string | null;
}

/**
 * A fleet kept in PostgreSQL, for local runs, tests and benchmarks. Each change is recorded with
 * its idempotency key in the same transaction as the fleet state it alters, so a key acts at most
 * once; a repeated key returns the recorded outcome at once. Assets marked `fail_apply` fail; the
 * rest fail at `failureRate`.
 */
export class SimulatedFleetExecutor implements RemediationExecutor {
  readonly name = 'simulated';

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SimulatedFleetSettings = DEFAULT_SIMULATED_FLEET,
  ) {}

  async apply(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.recorded(change.idempotencyKey, change.assetId);
    if (done) return done;
    await this.latency();
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO simulated_fleet_assets (asset_id, version) VALUES ($1, $2) ON CONFLICT (asset_id) DO NOTHING`,
        [change.assetId, this.settings.initialVersion],
      );
      const [asset] = await m.query<{ version: string; fail_apply: boolean }[]>(
        'SELECT version, fail_apply FROM simulated_fleet_assets WHERE asset_id = $1 FOR UPDATE',
        [change.assetId],
      );
      const from = asset?.version ?? this.settings.initialVersion;
      const fails = asset?.fail_apply === true || this.injectedFailure(change);
      const outcome = fails ? 'failed' : 'succeeded';
      const detail = fails ? 'simulated apply failure' : null;
      const claimed = await m.query<{ idempotency_key: string }[]>(
        `INSERT INTO executor_side_effects (idempotency_key, executor, plan_id, asset_id, action, from_version,
           to_version, outcome, detail, executed_at)
         VALUES ($1, $2, $3, $4, 'apply', $5, $6, $7, $8, now())
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        [
          change.idempotencyKey,
          this.name,
          change.planId,
          change.assetId,
          from,
          change.toVersion,
          outcome,
          detail,
        ],
      );
      if (claimed.length === 0) return this.mustReadRecorded(m, change.idempotencyKey, change.assetId);
      if (!fails) {
        await m.query(
          `UPDATE simulated_fleet_assets SET version = $2, changes = changes + 1, updated_at = now() WHERE asset_id = $1`,
          [change.assetId, change.toVersion],
        );
      }
      return {
        assetId: change.assetId,
        outcome,
        fromVersion: from,
        toVersion: change.toVersion,
        ...(detail ? { detail } : {}),
        executedNow: true,
      };
    });
  }

  async revert(change: AssetChange): Promise<AssetChangeResult> {
    const done = await this.recorded(change.idempotencyKey, change.assetId);
    if (done) return done;
    const [applied] = change.appliedKey
      ? await this.dataSource.query<EffectRow[]>(
          'SELECT outcome, from_version, to_version, detail FROM executor_side_effects WHERE idempotency_key = $1',
          [change.appliedKey],
        )
      : [];
    const needed = applied?.outcome === 'succeeded';
    if (needed) await this.latency();
    return this.dataSource.transaction(async (m) => {
      const outcome = needed ? 'succeeded' : 'skipped';
      const detail = needed ? null : 'nothing was applied';
      const claimed = await m.query<{ idempotency_key: string }[]>(
        `INSERT INTO executor_side_effects (idempotency_key, executor, plan_id, asset_id, action, from_version,
           to_version, outcome, detail, executed_at)
         VALUES ($1, $2, $3, $4, 'revert', $5, $6, $7, $8, now())
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        [
          change.idempotencyKey,
          this.name,
          change.planId,
          change.assetId,
          applied?.to_version ?? null,
          applied?.from_version ?? null,
          outcome,
          detail,
        ],
      );
      if (claimed.length === 0) return this.mustReadRecorded(m, change.idempotencyKey, change.assetId);
      if (needed) {
        await m.query(
          `UPDATE simulated_fleet_assets SET version = $2, changes = changes + 1, updated_at = now() WHERE asset_id = $1`,
          [change.assetId, applied.from_version],
        );
      }
      return {
        assetId: change.assetId,
        outcome,
        fromVersion: applied?.to_version ?? null,
        toVersion: applied?.from_version ?? null,
        ...(detail ? { detail } : {}),
        executedNow: true,
      };
    });
  }

  private async recorded(key: string, assetId: string): Promise<AssetChangeResult | undefined> {
    return this.readRecorded(this.dataSource.manager, key, assetId);
  }

  private async readRecorded(
    m: { query: DataSource['query'] },
    key: string,
    assetId: string,
  ): Promise<AssetChangeResult | undefined> {
    const [row] = await m.query<EffectRow[]>(
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
      executedNow: false,
    };
  }

  private async mustReadRecorded(
    m: { query: DataSource['query'] },
    key: string,
    assetId: string,
  ): Promise<AssetChangeResult> {
    const row = await this.readRecorded(m, key, assetId);
    if (!row) throw new Error(`side effect ${key} conflicted but is not recorded`);
    return row;
  }

  private injectedFailure(change: AssetChange): boolean {
    if (this.settings.failureRate <= 0) return false;
    const h = createHash('sha256').update(`${change.planId}:${change.assetId}`).digest();
    return h.readUInt32BE(0) / 0xffffffff < this.settings.failureRate;
  }

  private latency(): Promise<void> {
    const { min, max } = this.settings.latencyMs;
    const ms = min + Math.random() * Math.max(0, max - min);
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }
}
