import { readServiceAuthSettings, type ServiceAuthSettings } from '@rf/platform-auth';
import { ConfigError, loadServiceConfig, processEnvironment, type ServiceConfig } from '@rf/platform-config';
import { DEFAULT_ORGANISATION, ORGANISATION_ID } from '@rf/platform-events';
import { z } from 'zod';
import { version } from '../package.json';
import { CronSchedule } from './domain/connector/cron-schedule.value-object';

export interface InventorySettings {
  /** K: consecutive missed scans of its connector that remove an asset. */
  readonly missedScansBeforeRemoval: number;
  /** Assets committed per scan transaction. */
  readonly scanChunkSize: number;
  readonly scheduler: { readonly enabled: boolean; readonly tickMs: number };
  /** Finished scans older than `days` are deleted, except each connector's `keepLatest` newest. */
  readonly scanHistory: {
    readonly days: number;
    readonly keepLatest: number;
    readonly pruneIntervalMs: number;
  };
  readonly connectionTestTimeoutMs: number;
  /** A simulated connector configured on a database without connectors (on by default in development). */
  readonly seedSimulatedFleet: {
    readonly enabled: boolean;
    /** The organisation the seeded connector and its fleet belong to. */
    readonly organisation: string;
    readonly size: number;
    readonly schedule: string;
  };
}

export interface InventoryConfig extends ServiceConfig {
  readonly inventory: InventorySettings;
  /** Policy gate and the gateway's forwarded-principal key. */
  readonly auth: ServiceAuthSettings;
}

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const inventorySchema = z.object({
  RF_INVENTORY_MISSED_SCANS_BEFORE_REMOVAL: z.coerce.number().int().min(1).max(100).default(3),
  RF_INVENTORY_SCAN_CHUNK_SIZE: z.coerce.number().int().min(100).max(50_000).default(5_000),
  RF_INVENTORY_SCHEDULER_ENABLED: flag.default(true),
  RF_INVENTORY_SCHEDULER_TICK_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  RF_INVENTORY_SCAN_HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  RF_INVENTORY_SCAN_HISTORY_KEEP_LATEST: z.coerce.number().int().min(1).max(100_000).default(100),
  RF_INVENTORY_SCAN_HISTORY_PRUNE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(86_400_000)
    .default(3_600_000),
  RF_INVENTORY_CONNECTION_TEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  RF_INVENTORY_SEED_SIMULATED_FLEET: flag.optional(),
  RF_INVENTORY_SEED_FLEET_ORGANISATION: z
    .string()
    .regex(ORGANISATION_ID, 'must be an organisation id')
    .default(DEFAULT_ORGANISATION),
  RF_INVENTORY_SEED_FLEET_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  RF_INVENTORY_SEED_FLEET_SCHEDULE: z
    .string()
    .default('*/10 * * * *')
    .superRefine((text, ctx) => {
      const parsed = CronSchedule.parse(text);
      if (!(parsed instanceof CronSchedule)) ctx.addIssue({ code: 'custom', message: parsed.problem });
    }),
});

/** The shared service config plus the inventory's own settings; every problem of both is listed at once. */
export function loadInventoryConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): InventoryConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'inventory', version, usesTemporal: false }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const parsed = inventorySchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (problems.length > 0 || base === undefined || !auth || !parsed.success) {
    throw new ConfigError('inventory', problems);
  }
  const s = parsed.data;
  return {
    ...base,
    auth,
    inventory: {
      missedScansBeforeRemoval: s.RF_INVENTORY_MISSED_SCANS_BEFORE_REMOVAL,
      scanChunkSize: s.RF_INVENTORY_SCAN_CHUNK_SIZE,
      scheduler: { enabled: s.RF_INVENTORY_SCHEDULER_ENABLED, tickMs: s.RF_INVENTORY_SCHEDULER_TICK_MS },
      scanHistory: {
        days: s.RF_INVENTORY_SCAN_HISTORY_RETENTION_DAYS,
        keepLatest: s.RF_INVENTORY_SCAN_HISTORY_KEEP_LATEST,
        pruneIntervalMs: s.RF_INVENTORY_SCAN_HISTORY_PRUNE_INTERVAL_MS,
      },
      connectionTestTimeoutMs: s.RF_INVENTORY_CONNECTION_TEST_TIMEOUT_MS,
      seedSimulatedFleet: {
        enabled: s.RF_INVENTORY_SEED_SIMULATED_FLEET ?? base.env === 'development',
        organisation: s.RF_INVENTORY_SEED_FLEET_ORGANISATION,
        size: s.RF_INVENTORY_SEED_FLEET_SIZE,
        schedule: s.RF_INVENTORY_SEED_FLEET_SCHEDULE,
      },
    },
  };
}

/** runService hands the module factory the config loadInventoryConfig returned, typed as the shared one. */
export function asInventoryConfig(config: ServiceConfig): InventoryConfig {
  if (!('inventory' in config))
    throw new Error('The inventory module needs the config of loadInventoryConfig');
  return config as InventoryConfig;
}
