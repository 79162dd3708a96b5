import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { asComplianceConfig, loadComplianceConfig } from './compliance.config';
import { ComplianceModule } from './compliance.module';

void runService({
  loadConfig: loadComplianceConfig,
  module: (config) => ComplianceModule.register(asComplianceConfig(config)),
});
