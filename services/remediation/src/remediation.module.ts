import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class RemediationModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: RemediationModule, imports: [PlatformModule.forService({ config })] };
  }
}
