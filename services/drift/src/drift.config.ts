import { readServiceAuthSettings, type ServiceAuthSettings } from '@rf/platform-auth';
import { ConfigError, loadServiceConfig, processEnvironment, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';
import {
  type DriftEngineSettings,
  parseDriftEngineSettings,
} from './infrastructure/drift/drift-engine.config';

export interface DriftConfig extends ServiceConfig {
  readonly driftEngine: DriftEngineSettings;
  /** The one policy gate (routes and image promotion) and the gateway's forwarded-principal key. */
  readonly auth: ServiceAuthSettings;
}

/** The shared service config plus the drift service's own settings; every problem is listed at once. */
export function loadDriftConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): DriftConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'drift', version, usesTemporal: false }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const driftEngine = parseDriftEngineSettings(env, problems);
  if (problems.length > 0 || base === undefined || !auth) throw new ConfigError('drift', problems);
  return { ...base, auth, driftEngine };
}

/** runService hands the module factory the config loadDriftConfig returned, typed as the shared one. */
export function asDriftConfig(config: ServiceConfig): DriftConfig {
  if (!('driftEngine' in config) || !('auth' in config)) {
    throw new Error('The drift module needs the config of loadDriftConfig');
  }
  return config as DriftConfig;
}
