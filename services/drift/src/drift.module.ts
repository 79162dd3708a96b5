import { type DynamicModule, Module } from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';
import { asDriftConfig } from './drift.config';
import { DriftEngineModule } from './infrastructure/drift/drift-engine.module';
import { DRIFT_ENGINE_MIGRATIONS } from './infrastructure/drift/persistence/drift-engine-migrations';

@Module({})
export class DriftModule {
  static register(serviceConfig: ServiceConfig): DynamicModule {
    const config = asDriftConfig(serviceConfig);
    return {
      module: DriftModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...DRIFT_ENGINE_MIGRATIONS] }),
        DriftEngineModule.register(config.driftEngine),
      ],
    };
  }
}
