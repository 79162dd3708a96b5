import 'reflect-metadata';
import { runService } from '@rf/platform-runtime';
import { loadRemediationConfig } from './remediation.config';
import { RemediationModule } from './remediation.module';

void runService({ loadConfig: () => loadRemediationConfig(), module: (config) => RemediationModule.register(config) });
