import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';

export function loadComplianceConfig(env?: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return loadServiceConfig({ service: 'compliance', version, usesTemporal: false }, env);
}
