import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceAuthModule } from '@rf/platform-auth';
import type { ServiceConfig } from '@rf/platform-config';
import { entrypointOf, POLICIES } from '@rf/platform-policy';
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
    // One gate for the service: route authorisation (callers forwarded by the gateway) and image
    // promotion. Sub-modules import this same module object, so Nest builds it once.
    const auth = ServiceAuthModule.forService({
      service: 'drift',
      settings: config.auth,
      requiredEntrypoints: [entrypointOf(POLICIES.imagePromotion)],
    });
    return {
      module: DriftModule,
      imports: [
        PlatformModule.forService({
          config,
          migrations: [...IMAGE_REGISTRY_MIGRATIONS, ...DRIFT_ENGINE_MIGRATIONS],
        }),
        auth,
        ImageRegistryModule.register(auth),
        DriftEngineModule.register(config.driftEngine),
      ],
    };
  }
}
