import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class GatewayModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: GatewayModule, imports: [PlatformModule.forService({ config })] };
  }
}
