import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { asLedgerConfig, loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

void runService({
  loadConfig: loadLedgerConfig,
  module: (config) => LedgerModule.register(asLedgerConfig(config)),
});
