import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';
import { ImageRegistryModule } from './infrastructure/images/image-registry.module';
import { IMAGE_REGISTRY_MIGRATIONS } from './infrastructure/images/persistence/image-registry-migrations';

@Module({})
export class DriftModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: DriftModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...IMAGE_REGISTRY_MIGRATIONS] }),
        ImageRegistryModule.register(config),
      ],
    };
  }
}
