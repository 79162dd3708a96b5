import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';

export function loadGatewayConfig(env?: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return loadServiceConfig({ service: 'gateway', version, usesTemporal: false }, env);
}
