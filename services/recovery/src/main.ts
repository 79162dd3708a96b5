import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { loadRecoveryConfig } from './recovery.config';
import { RecoveryModule } from './recovery.module';

void runService({
  loadConfig: () => loadRecoveryConfig(),
  module: (config) => RecoveryModule.register(config),
});
