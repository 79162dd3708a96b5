import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { loadQuantumConfig } from './quantum.config';
import { QuantumModule } from './quantum.module';

void runService({
  loadConfig: () => loadQuantumConfig(),
  module: (config) => QuantumModule.register(config),
});
