import 'reflect-metadata';
import { runService } from '@rf/platform-runtime';
import { loadRecoveryConfig } from './recovery.config';
import { RecoveryModule } from './recovery.module';

void runService({ loadConfig: () => loadRecoveryConfig(), module: (config) => RecoveryModule.register(config) });
