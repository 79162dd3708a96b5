import 'reflect-metadata';
import { runService } from '@rf/platform-runtime';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

void runService({ loadConfig: () => loadGatewayConfig(), module: (config) => GatewayModule.register(config) });
