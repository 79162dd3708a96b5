import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { version } from '../package.json';

export function loadLedgerConfig(env?: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return loadServiceConfig({ service: 'ledger', version, usesTemporal: false }, env);
}
