import { readServiceAuthSettings, type ServiceAuthSettings } from '@rf/platform-auth';
import { ConfigError, loadServiceConfig, processEnvironment, type ServiceConfig } from '@rf/platform-config';
import { z } from 'zod';
import { version } from '../package.json';
import {
  type ComplianceThresholds,
  DEFAULT_COMPLIANCE_THRESHOLDS as D,
} from './domain/scoring/compliance-thresholds';

export interface ComplianceConfig extends ServiceConfig {
  readonly compliance: {
    readonly thresholds: ComplianceThresholds;
    /** How often environment and organisation scores are re-aggregated after their assets changed. */
    readonly aggregateIntervalMs: number;
  };
  /** Policy gate and the gateway's forwarded-principal key. */
  readonly auth: ServiceAuthSettings;
}

const share = z.coerce.number().min(0).max(1);
const days = z.coerce.number().min(0).max(3650);

const complianceSchema = z.object({
  RF_COMPLIANCE_TARGET: share.default(D.target),
  RF_COMPLIANCE_AT_RISK_BAND: share.default(D.atRiskBand),
  RF_COMPLIANCE_MIN_CIS_LEVEL: z.coerce.number().int().min(0).max(2).default(D.minCisLevel),
  RF_COMPLIANCE_MIN_SLSA_BUILD_LEVEL: z.coerce.number().int().min(0).max(4).default(D.minSlsaBuildLevel),
  RF_COMPLIANCE_MIN_DRIFT_COVERAGE_PCT: z.coerce.number().min(0).max(100).default(D.minDriftCoveragePct),
  RF_COMPLIANCE_PATCH_SLA_DAYS: days.default(D.patchSlaDays),
  RF_COMPLIANCE_MAX_BACKUP_AGE_DAYS: days.default(D.maxBackupAgeDays),
  RF_COMPLIANCE_MAX_DRILL_AGE_DAYS: days.default(D.maxDrillAgeDays),
  RF_COMPLIANCE_AGGREGATE_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
});

/** The shared service config plus compliance's own settings; every problem of both is listed at once. */
export function loadComplianceConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): ComplianceConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'compliance', version, usesTemporal: false }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const parsed = complianceSchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (problems.length > 0 || base === undefined || !auth || !parsed.success)
    throw new ConfigError('compliance', problems);
  const e = parsed.data;
  return {
    ...base,
    auth,
    compliance: {
      aggregateIntervalMs: e.RF_COMPLIANCE_AGGREGATE_INTERVAL_MS,
      thresholds: {
        target: e.RF_COMPLIANCE_TARGET,
        atRiskBand: e.RF_COMPLIANCE_AT_RISK_BAND,
        minCisLevel: e.RF_COMPLIANCE_MIN_CIS_LEVEL,
        minSlsaBuildLevel: e.RF_COMPLIANCE_MIN_SLSA_BUILD_LEVEL,
        minDriftCoveragePct: e.RF_COMPLIANCE_MIN_DRIFT_COVERAGE_PCT,
        patchSlaDays: e.RF_COMPLIANCE_PATCH_SLA_DAYS,
        maxBackupAgeDays: e.RF_COMPLIANCE_MAX_BACKUP_AGE_DAYS,
        maxDrillAgeDays: e.RF_COMPLIANCE_MAX_DRILL_AGE_DAYS,
      },
    },
  };
}

/** runService hands the module factory the config loadComplianceConfig returned, typed as the shared one. */
export function asComplianceConfig(config: ServiceConfig): ComplianceConfig {
  if (!('compliance' in config))
    throw new Error('The compliance module needs the config of loadComplianceConfig');
  return config as ComplianceConfig;
}
