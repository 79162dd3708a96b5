import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { loadRemediationConfig } from './remediation.config';
import { RemediationModule } from './remediation.module';

void runService({
  loadConfig: () => loadRemediationConfig(),
  module: (config) => RemediationModule.register(config),
});
