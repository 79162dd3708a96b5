import { z } from 'zod';

/** Settings of the drift engine: its periodic rounds, snapshot retention and report caching. */
export interface DriftEngineSettings {
  readonly tickMs: number;
  readonly reconcileIntervalMs: number;
  readonly snapshotRetentionDays: number;
  readonly reportMaxAgeMs: number;
}

export const DEFAULT_DRIFT_ENGINE_SETTINGS: DriftEngineSettings = {
  tickMs: 30_000,
  reconcileIntervalMs: 900_000,
  snapshotRetentionDays: 90,
  reportMaxAgeMs: 1_000,
};

const schema = z.object({
  RF_DRIFT_TICK_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .default(DEFAULT_DRIFT_ENGINE_SETTINGS.tickMs),
  RF_DRIFT_RECONCILE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(DEFAULT_DRIFT_ENGINE_SETTINGS.reconcileIntervalMs),
  RF_DRIFT_SNAPSHOT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_650)
    .default(DEFAULT_DRIFT_ENGINE_SETTINGS.snapshotRetentionDays),
  // How stale a served report may be; 0 computes each request afresh.
  RF_DRIFT_REPORT_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(DEFAULT_DRIFT_ENGINE_SETTINGS.reportMaxAgeMs),
});

/** Reads the drift engine settings, adding every problem found to `problems`. */
export function parseDriftEngineSettings(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): DriftEngineSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    return DEFAULT_DRIFT_ENGINE_SETTINGS;
  }
  return {
    tickMs: parsed.data.RF_DRIFT_TICK_MS,
    reconcileIntervalMs: parsed.data.RF_DRIFT_RECONCILE_INTERVAL_MS,
    snapshotRetentionDays: parsed.data.RF_DRIFT_SNAPSHOT_RETENTION_DAYS,
    reportMaxAgeMs: parsed.data.RF_DRIFT_REPORT_MAX_AGE_MS,
  };
}
