import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class RecoveryModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: RecoveryModule, imports: [PlatformModule.forService({ config })] };
  }
}
