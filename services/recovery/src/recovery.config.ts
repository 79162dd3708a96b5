import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';

export function loadRecoveryConfig(env?: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return loadServiceConfig({ service: 'recovery', version, usesTemporal: true }, env);
}
