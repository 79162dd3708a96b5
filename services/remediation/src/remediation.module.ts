import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
} from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { PlatformModule } from '@rf/platform-runtime';
import { RemediationController } from './api/remediation.controller';
import { DriftDetectedConsumer } from './infrastructure/messaging/drift-detected.consumer';
import { REMEDIATION_MIGRATIONS } from './infrastructure/persistence/remediation-migrations';
import { TemporalClientProvider } from './infrastructure/temporal/temporal-client.provider';
import { asRemediationConfig } from './remediation.config';
import { apiProviders, remediationAuthModule, workerProviders } from './remediation.providers';

@Injectable()
class TemporalClientLifecycle implements BeforeApplicationShutdown {
  constructor(@Inject(TemporalClientProvider) private readonly client: TemporalClientProvider) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/** Remediation: risk, plans, the gate and steering over HTTP and from drift events. */
@Module({})
export class RemediationModule {
  static register(serviceConfig: ServiceConfig): DynamicModule {
    const config = asRemediationConfig(serviceConfig);
    return {
      module: RemediationModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...REMEDIATION_MIGRATIONS] }),
        remediationAuthModule(config),
      ],
      controllers: [RemediationController, DriftDetectedConsumer],
      providers: [...apiProviders(config), TemporalClientLifecycle],
    };
  }
}

/** The remediation Temporal worker's dependencies; the worker itself is run by worker.ts. */
@Module({})
export class RemediationWorkerModule {
  static register(serviceConfig: ServiceConfig): DynamicModule {
    const config = asRemediationConfig(serviceConfig);
    return {
      module: RemediationWorkerModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...REMEDIATION_MIGRATIONS] }),
        remediationAuthModule(config),
      ],
      providers: workerProviders(config),
    };
  }
}
