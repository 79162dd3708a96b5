import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class InventoryModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: InventoryModule, imports: [PlatformModule.forService({ config })] };
  }
}
