import { readServiceAuthSettings, type ServiceAuthSettings } from '@rf/platform-auth';
import { ConfigError, loadServiceConfig, processEnvironment, type ServiceConfig } from '@rf/platform-config';
import { z } from 'zod';
import { version } from '../package.json';
import type { EnvironmentProfile, RemediationSettings } from './application/remediation-settings';
import { DEFAULT_HEALTH_CRITERIA } from './domain/health/health-verdict';
import { DEFAULT_WAVE_POLICY, wavePolicyProblems } from './domain/plan/wave-policy';
import { DEFAULT_RISK_WEIGHTS, riskWeightProblems, type RiskWeights } from './domain/risk/risk-factors';

export interface RemediationServiceSettings extends RemediationSettings {
  readonly taskQueue: string;
  readonly riskWeights: RiskWeights;
  readonly executor: ExecutorSettings;
  /** Azure VMSS and GCP MIG rolling upgrades; set with those executors. */
  readonly cloudGroups: CloudGroupExecutorSettings | null;
  readonly health:
    | { readonly provider: 'simulated' }
    | {
        readonly provider: 'prometheus';
        readonly url: string;
        readonly badQuery: string;
        readonly totalQuery: string;
      }
    | { readonly provider: 'http'; readonly urlTemplate: string };
  readonly starterIntervalMs: number;
  /** drift.detected for one family/version/environment within this window make one plan; 0 plans each alone. */
  readonly driftBatchWindowMs: number;
  /** How often batches whose window has passed are planned. */
  readonly driftBatchIntervalMs: number;
}

/** Executors that roll whole cloud groups (Azure VM scale sets, GCP managed instance groups). */
export const CLOUD_GROUP_EXECUTORS = ['azure-vmss', 'gcp-mig'] as const;
export type CloudGroupExecutorKind = (typeof CLOUD_GROUP_EXECUTORS)[number];

export type AzureExecutorAuth =
  | { readonly type: 'default' }
  | { readonly type: 'managedIdentity'; readonly clientId?: string }
  | {
      readonly type: 'servicePrincipal';
      readonly tenantId: string;
      readonly clientId: string;
      /** A file holding the client secret (a mounted secret); the secret itself never enters the config. */
      readonly clientSecretFile: string;
    };

export interface CloudGroupExecutorSettings {
  /**
   * Asset id, or `<organisation>/<asset id>` (which takes precedence for that organisation) → its
   * group and the image template of a version.
   */
  readonly targets: Readonly<Record<string, { readonly group: string; readonly image: string }>>;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly azure: { readonly auth: AzureExecutorAuth; readonly endpoint?: string };
  readonly gcp: { readonly endpoint?: string };
}

export const EXECUTOR_KINDS = [
  'simulated',
  'aws-ssm-command',
  'aws-ssm-automation',
  'aws-root-volume',
  'aws-asg-refresh',
  'vsphere-clone-swap',
  ...CLOUD_GROUP_EXECUTORS,
] as const;

/** How long an executor waits between reads of a long operation, and per activity attempt. */
export interface ExecutorPolling {
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
}

export interface AwsExecutorTarget {
  readonly region: string;
  /** Another endpoint than AWS's own (a VPC endpoint, or a local peer in tests). */
  readonly endpoint: string | undefined;
}

/** A secret kept out of logs and JSON: only `reveal()` gives it. */
export interface SecretValue {
  reveal(): string;
}

export type ExecutorSettings =
  | {
      readonly kind: 'simulated';
      readonly latencyMs: { readonly min: number; readonly max: number };
      readonly failureRate: number;
    }
  | ({
      readonly kind: 'aws-ssm-command' | 'aws-ssm-automation';
      readonly aws: AwsExecutorTarget;
      readonly documentName: string;
      readonly documentVersion: string | undefined;
      readonly parameters: Readonly<Record<string, readonly string[]>>;
    } & ExecutorPolling)
  | ({ readonly kind: 'aws-root-volume'; readonly aws: AwsExecutorTarget } & ExecutorPolling)
  | ({
      readonly kind: 'aws-asg-refresh';
      readonly aws: AwsExecutorTarget;
      readonly minHealthyPercentage: number;
      readonly instanceWarmupSeconds: number | undefined;
    } & ExecutorPolling)
  | { readonly kind: CloudGroupExecutorKind }
  | ({
      readonly kind: 'vsphere-clone-swap';
      readonly sdkUrl: string;
      readonly username: string;
      readonly password: SecretValue;
      readonly templateName: string;
    } & ExecutorPolling);

export interface RemediationConfig extends ServiceConfig {
  readonly remediation: RemediationServiceSettings;
  /** The one policy gate (routes and wave decisions) and the gateway's forwarded-principal key. */
  readonly auth: ServiceAuthSettings;
}

/** A cloud-group mapping key: an asset id, or an organisation id, a slash and an asset id. */
const CLOUD_GROUP_KEY =
  /^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,127}\/)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u;

const json = <T extends z.ZodType>(schema: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);

const window = z.object({ days: z.array(z.string()), start: z.string(), end: z.string() });
const profile = z.object({
  utcOffset: z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/u, 'must be Z or ±HH:MM'),
  changeWindows: z.array(window).optional(),
  businessHours: window.optional(),
  freezes: z.array(z.object({ name: z.string(), start: z.string(), end: z.string() })).optional(),
});

const schema = z.object({
  RF_REMEDIATION_TASK_QUEUE: z.string().min(1).default('rf-remediation'),
  RF_REMEDIATION_RISK_WEIGHTS: json(z.record(z.string(), z.number())).optional(),
  RF_REMEDIATION_CANARY_PERCENT: z.coerce.number().default(DEFAULT_WAVE_POLICY.canaryPercent),
  RF_REMEDIATION_GROWTH_FACTOR: z.coerce.number().default(DEFAULT_WAVE_POLICY.growthFactor),
  RF_REMEDIATION_MAX_WAVE_SIZE: z.coerce.number().int().default(DEFAULT_WAVE_POLICY.maxWaveSize),
  RF_REMEDIATION_MAX_CONCURRENCY: z.coerce.number().int().default(DEFAULT_WAVE_POLICY.maxConcurrency),
  RF_REMEDIATION_ERROR_THRESHOLD_PERCENT: z.coerce
    .number()
    .default(DEFAULT_WAVE_POLICY.errorThresholdPercent),
  RF_REMEDIATION_SOAK_SECONDS: z.coerce.number().int().default(DEFAULT_WAVE_POLICY.soakSeconds),
  RF_REMEDIATION_FLEET_SIZE: z.coerce.number().int().min(1).default(1000),
  RF_REMEDIATION_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(3600),
  RF_REMEDIATION_ENVIRONMENTS: json(z.record(z.string(), profile)).optional(),
  RF_REMEDIATION_UTC_OFFSET: z
    .string()
    .regex(/^(Z|[+-]\d{2}:\d{2})$/u, 'must be Z or ±HH:MM')
    .default('Z'),
  RF_REMEDIATION_HEALTH_MAX_ERROR_RATIO: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_HEALTH_CRITERIA.maxErrorRatio),
  RF_REMEDIATION_HEALTH_MIN_SAMPLES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_HEALTH_CRITERIA.minSamples),
  RF_REMEDIATION_EXECUTOR: z.enum(EXECUTOR_KINDS).default('simulated'),
  RF_REMEDIATION_EXECUTOR_POLL_MS: z.coerce.number().int().min(10).default(15_000),
  RF_REMEDIATION_EXECUTOR_ATTEMPT_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(600_000),
  RF_REMEDIATION_AWS_REGION: z.string().min(1).optional(),
  RF_REMEDIATION_AWS_ENDPOINT: z.url().optional(),
  RF_REMEDIATION_SSM_DOCUMENT: z.string().min(1).optional(),
  RF_REMEDIATION_SSM_DOCUMENT_VERSION: z.string().min(1).optional(),
  RF_REMEDIATION_SSM_PARAMETERS: json(z.record(z.string(), z.array(z.string()))).optional(),
  RF_REMEDIATION_ASG_MIN_HEALTHY_PERCENT: z.coerce.number().int().min(0).max(100).default(90),
  RF_REMEDIATION_ASG_INSTANCE_WARMUP_SECONDS: z.coerce.number().int().min(0).optional(),
  RF_REMEDIATION_VSPHERE_URL: z.url().optional(),
  RF_REMEDIATION_VSPHERE_USERNAME: z.string().min(1).optional(),
  RF_REMEDIATION_VSPHERE_PASSWORD: z.string().min(1).optional(),
  RF_REMEDIATION_VSPHERE_TEMPLATE_NAME: z.string().includes('{version}').default('golden-{version}'),
  RF_REMEDIATION_SIM_LATENCY_MS: z
    .string()
    .regex(/^\d+-\d+$/u, 'must be MIN-MAX in ms')
    .default('50-250'),
  RF_REMEDIATION_SIM_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  RF_REMEDIATION_HEALTH_PROVIDER: z.enum(['simulated', 'prometheus', 'http']).default('simulated'),
  RF_REMEDIATION_PROMETHEUS_URL: z.url().optional(),
  RF_REMEDIATION_PROMETHEUS_BAD_QUERY: z.string().optional(),
  RF_REMEDIATION_PROMETHEUS_TOTAL_QUERY: z.string().optional(),
  RF_REMEDIATION_HEALTH_URL_TEMPLATE: z.string().includes('{assetId}').optional(),
  RF_REMEDIATION_STARTER_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  RF_REMEDIATION_DRIFT_BATCH_WINDOW_SECONDS: z.coerce.number().min(0).max(86_400).default(0),
  RF_REMEDIATION_DRIFT_BATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(1_000),
  // Cloud-group executors (azure-vmss, gcp-mig).
  RF_REMEDIATION_CLOUD_GROUPS: json(
    z.record(
      // An asset id, or `<organisation>/<asset id>` for one organisation's asset.
      z.string().regex(CLOUD_GROUP_KEY, 'must be an asset id, or <organisation>/<asset id>'),
      z.object({ group: z.string().min(1), image: z.string().includes('{version') }),
    ),
  ).optional(),
  RF_REMEDIATION_CLOUD_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(5_000),
  RF_REMEDIATION_CLOUD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(3_600),
  RF_REMEDIATION_AZURE_AUTH: z.enum(['default', 'managedIdentity', 'servicePrincipal']).default('default'),
  RF_REMEDIATION_AZURE_TENANT_ID: z.string().min(1).optional(),
  RF_REMEDIATION_AZURE_CLIENT_ID: z.string().min(1).optional(),
  RF_REMEDIATION_AZURE_CLIENT_SECRET_FILE: z.string().min(1).optional(),
  RF_REMEDIATION_AZURE_ENDPOINT: z.url().optional(),
  RF_REMEDIATION_GCP_ENDPOINT: z.url().optional(),
});

function executorSettings(
  e: z.infer<typeof schema>,
  latencyMs: { readonly min: number; readonly max: number },
  problems: string[],
): ExecutorSettings | undefined {
  const kind = e.RF_REMEDIATION_EXECUTOR;
  if (kind === 'simulated') return { kind, latencyMs, failureRate: e.RF_REMEDIATION_SIM_FAILURE_RATE };
  // Their settings are cloudGroupSettings'.
  if (kind === 'azure-vmss' || kind === 'gcp-mig') return { kind };
  const polling: ExecutorPolling = {
    pollIntervalMs: e.RF_REMEDIATION_EXECUTOR_POLL_MS,
    timeoutMs: e.RF_REMEDIATION_EXECUTOR_ATTEMPT_TIMEOUT_MS,
  };
  if (kind === 'vsphere-clone-swap') {
    const url = e.RF_REMEDIATION_VSPHERE_URL;
    const username = e.RF_REMEDIATION_VSPHERE_USERNAME;
    const password = e.RF_REMEDIATION_VSPHERE_PASSWORD;
    if (!url || !username || !password) {
      problems.push(
        'RF_REMEDIATION_VSPHERE_URL, _USERNAME and _PASSWORD: needed by the vsphere-clone-swap executor',
      );
      return undefined;
    }
    return {
      kind,
      sdkUrl: url,
      username,
      password: { reveal: () => password },
      templateName: e.RF_REMEDIATION_VSPHERE_TEMPLATE_NAME,
      ...polling,
    };
  }
  const region = e.RF_REMEDIATION_AWS_REGION;
  if (!region) {
    problems.push(`RF_REMEDIATION_AWS_REGION: needed by the ${kind} executor`);
    return undefined;
  }
  const aws = { region, endpoint: e.RF_REMEDIATION_AWS_ENDPOINT };
  switch (kind) {
    case 'aws-root-volume':
      return { kind, aws, ...polling };
    case 'aws-asg-refresh':
      return {
        kind,
        aws,
        minHealthyPercentage: e.RF_REMEDIATION_ASG_MIN_HEALTHY_PERCENT,
        instanceWarmupSeconds: e.RF_REMEDIATION_ASG_INSTANCE_WARMUP_SECONDS,
        ...polling,
      };
    case 'aws-ssm-command':
    case 'aws-ssm-automation':
      if (!e.RF_REMEDIATION_SSM_DOCUMENT || !e.RF_REMEDIATION_SSM_PARAMETERS) {
        problems.push(`RF_REMEDIATION_SSM_DOCUMENT and _PARAMETERS: needed by the ${kind} executor`);
        return undefined;
      }
      return {
        kind,
        aws,
        documentName: e.RF_REMEDIATION_SSM_DOCUMENT,
        documentVersion: e.RF_REMEDIATION_SSM_DOCUMENT_VERSION,
        parameters: e.RF_REMEDIATION_SSM_PARAMETERS,
        ...polling,
      };
  }
}

/** The shared service config plus remediation's own; every problem of both is listed at once. */
export function loadRemediationConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): RemediationConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'remediation', version, usesTemporal: true }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  if (!parsed.success) throw new ConfigError('remediation', problems);
  const e = parsed.data;
  const weights = e.RF_REMEDIATION_RISK_WEIGHTS ?? DEFAULT_RISK_WEIGHTS;
  problems.push(...riskWeightProblems(weights).map((p) => `RF_REMEDIATION_RISK_WEIGHTS: ${p}`));
  const wavePolicy = {
    canaryPercent: e.RF_REMEDIATION_CANARY_PERCENT,
    growthFactor: e.RF_REMEDIATION_GROWTH_FACTOR,
    maxWaveSize: e.RF_REMEDIATION_MAX_WAVE_SIZE,
    maxConcurrency: e.RF_REMEDIATION_MAX_CONCURRENCY,
    errorThresholdPercent: e.RF_REMEDIATION_ERROR_THRESHOLD_PERCENT,
    soakSeconds: e.RF_REMEDIATION_SOAK_SECONDS,
  };
  problems.push(...wavePolicyProblems(wavePolicy).map((p) => `wave policy: ${p}`));
  const [min = 0, max = 0] = e.RF_REMEDIATION_SIM_LATENCY_MS.split('-').map(Number);
  if (min > max) problems.push('RF_REMEDIATION_SIM_LATENCY_MS: MIN must not exceed MAX');
  let health: RemediationServiceSettings['health'] = { provider: 'simulated' };
  if (e.RF_REMEDIATION_HEALTH_PROVIDER === 'prometheus') {
    if (
      !e.RF_REMEDIATION_PROMETHEUS_URL ||
      !e.RF_REMEDIATION_PROMETHEUS_BAD_QUERY ||
      !e.RF_REMEDIATION_PROMETHEUS_TOTAL_QUERY
    ) {
      problems.push(
        'RF_REMEDIATION_PROMETHEUS_URL, _BAD_QUERY and _TOTAL_QUERY: required with the prometheus provider',
      );
    } else {
      health = {
        provider: 'prometheus',
        url: e.RF_REMEDIATION_PROMETHEUS_URL,
        badQuery: e.RF_REMEDIATION_PROMETHEUS_BAD_QUERY,
        totalQuery: e.RF_REMEDIATION_PROMETHEUS_TOTAL_QUERY,
      };
    }
  } else if (e.RF_REMEDIATION_HEALTH_PROVIDER === 'http') {
    if (!e.RF_REMEDIATION_HEALTH_URL_TEMPLATE) {
      problems.push('RF_REMEDIATION_HEALTH_URL_TEMPLATE: required with the http provider');
    } else {
      health = { provider: 'http', urlTemplate: e.RF_REMEDIATION_HEALTH_URL_TEMPLATE };
    }
  }
  const executor = executorSettings(e, { min, max }, problems);
  const cloudGroups = cloudGroupSettings(e, problems);
  if (problems.length > 0 || base === undefined || !auth || !executor) {
    throw new ConfigError('remediation', problems);
  }
  const defaultEnvironment: EnvironmentProfile = { utcOffset: e.RF_REMEDIATION_UTC_OFFSET };
  return {
    ...base,
    auth,
    remediation: {
      taskQueue: e.RF_REMEDIATION_TASK_QUEUE,
      riskWeights: weights as unknown as RiskWeights,
      wavePolicy,
      fleetSize: e.RF_REMEDIATION_FLEET_SIZE,
      cooldownSeconds: e.RF_REMEDIATION_COOLDOWN_SECONDS,
      environments: e.RF_REMEDIATION_ENVIRONMENTS ?? {},
      defaultEnvironment,
      healthCriteria: {
        maxErrorRatio: e.RF_REMEDIATION_HEALTH_MAX_ERROR_RATIO,
        minSamples: e.RF_REMEDIATION_HEALTH_MIN_SAMPLES,
      },
      executor,
      cloudGroups,
      health,
      starterIntervalMs: e.RF_REMEDIATION_STARTER_INTERVAL_MS,
      driftBatchWindowMs: Math.round(e.RF_REMEDIATION_DRIFT_BATCH_WINDOW_SECONDS * 1000),
      driftBatchIntervalMs: e.RF_REMEDIATION_DRIFT_BATCH_INTERVAL_MS,
    },
  };
}

/** The cloud-group executors' settings, when one is selected; every missing piece is a problem. */
function cloudGroupSettings(
  e: z.infer<typeof schema>,
  problems: string[],
): CloudGroupExecutorSettings | null {
  const kind = e.RF_REMEDIATION_EXECUTOR;
  if (kind !== 'azure-vmss' && kind !== 'gcp-mig') return null;
  if (!e.RF_REMEDIATION_CLOUD_GROUPS) {
    problems.push(`RF_REMEDIATION_CLOUD_GROUPS: required with the ${kind} executor`);
  }
  let azureAuth: AzureExecutorAuth = { type: 'default' };
  if (e.RF_REMEDIATION_AZURE_AUTH === 'managedIdentity') {
    azureAuth = {
      type: 'managedIdentity',
      ...(e.RF_REMEDIATION_AZURE_CLIENT_ID ? { clientId: e.RF_REMEDIATION_AZURE_CLIENT_ID } : {}),
    };
  } else if (e.RF_REMEDIATION_AZURE_AUTH === 'servicePrincipal') {
    const { RF_REMEDIATION_AZURE_TENANT_ID: tenantId, RF_REMEDIATION_AZURE_CLIENT_ID: clientId } = e;
    const clientSecretFile = e.RF_REMEDIATION_AZURE_CLIENT_SECRET_FILE;
    if (!tenantId || !clientId || !clientSecretFile) {
      problems.push(
        'RF_REMEDIATION_AZURE_TENANT_ID, _CLIENT_ID and _CLIENT_SECRET_FILE: required with servicePrincipal auth',
      );
    } else {
      azureAuth = { type: 'servicePrincipal', tenantId, clientId, clientSecretFile };
    }
  }
  return {
    targets: e.RF_REMEDIATION_CLOUD_GROUPS ?? {},
    pollIntervalMs: e.RF_REMEDIATION_CLOUD_POLL_INTERVAL_MS,
    timeoutMs: e.RF_REMEDIATION_CLOUD_TIMEOUT_SECONDS * 1000,
    azure: {
      auth: azureAuth,
      ...(e.RF_REMEDIATION_AZURE_ENDPOINT ? { endpoint: e.RF_REMEDIATION_AZURE_ENDPOINT } : {}),
    },
    gcp: e.RF_REMEDIATION_GCP_ENDPOINT ? { endpoint: e.RF_REMEDIATION_GCP_ENDPOINT } : {},
  };
}

/** runService hands the module factory the config loadRemediationConfig returned, typed as the shared one. */
export function asRemediationConfig(config: ServiceConfig): RemediationConfig {
  if (!('remediation' in config))
    throw new Error('The remediation module needs the config of loadRemediationConfig');
  return config as RemediationConfig;
}
