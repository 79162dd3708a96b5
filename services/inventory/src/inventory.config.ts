import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';

export function loadInventoryConfig(env?: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return loadServiceConfig({ service: 'inventory', version, usesTemporal: false }, env);
}
