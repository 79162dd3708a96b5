import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';
import { asDriftConfig } from './drift.config';
import { DriftEngineModule } from './infrastructure/drift/drift-engine.module';
import { DRIFT_ENGINE_MIGRATIONS } from './infrastructure/drift/persistence/drift-engine-migrations';
import { ImageRegistryModule } from './infrastructure/images/image-registry.module';
import { IMAGE_REGISTRY_MIGRATIONS } from './infrastructure/images/persistence/image-registry-migrations';

@Module({})
export class DriftModule {
  static register(serviceConfig: ServiceConfig): DynamicModule {
    const config = asDriftConfig(serviceConfig);
    return {
      module: DriftModule,
      imports: [
        PlatformModule.forService({
          config,
          migrations: [...IMAGE_REGISTRY_MIGRATIONS, ...DRIFT_ENGINE_MIGRATIONS],
        }),
        ImageRegistryModule.register(config),
        DriftEngineModule.register(config.driftEngine),
      ],
    };
  }
}
