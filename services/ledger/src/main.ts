import 'reflect-metadata';
import { runService } from '@rf/platform-runtime';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

void runService({ loadConfig: () => loadLedgerConfig(), module: (config) => LedgerModule.register(config) });
