import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';

@Module({})
export class QuantumModule {
  static register(config: ServiceConfig): DynamicModule {
    return { module: QuantumModule, imports: [PlatformModule.forService({ config })] };
  }
}
