import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

void runService({
  loadConfig: () => loadGatewayConfig(),
  module: (config) => GatewayModule.register(config),
});
