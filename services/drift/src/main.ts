import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { loadDriftConfig } from './drift.config';
import { DriftModule } from './drift.module';

void runService({ loadConfig: () => loadDriftConfig(), module: (config) => DriftModule.register(config) });
