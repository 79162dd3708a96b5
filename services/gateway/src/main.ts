import { runService } from '@rf/platform-runtime';
import 'reflect-metadata';
import { asGatewayConfig, loadGatewayConfig } from './gateway.config';
import { GATEWAY_APP_OPTIONS, GatewayModule } from './gateway.module';

void runService({
  loadConfig: loadGatewayConfig,
  module: (config) => GatewayModule.register(asGatewayConfig(config)),
  appOptions: GATEWAY_APP_OPTIONS,
});
