import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class DriftModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: DriftModule, imports: [PlatformModule.forService({ config })] };
  }
}
