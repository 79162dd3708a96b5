import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import { KafkaReadinessCheck } from '@rf/platform-events';
import { ServiceInstanceRegistry } from '@rf/platform-persistence';
import { TemporalReadinessCheck } from '@rf/platform-temporal';
import { DataSource } from 'typeorm';
import { KAFKA_READINESS, SERVICE_CONFIG, TEMPORAL_READINESS } from './platform.tokens';

/** Records the instance in its database at start, and releases long-lived connections on shutdown. */
@Injectable()
export class ServiceLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ServiceLifecycle.name);
  private readonly registry: ServiceInstanceRegistry;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    dataSource: DataSource,
    @Inject(KAFKA_READINESS) private readonly kafkaCheck: KafkaReadinessCheck,
    @Inject(TEMPORAL_READINESS) private readonly temporalCheck: TemporalReadinessCheck | null,
  ) {
    this.registry = new ServiceInstanceRegistry(dataSource, {
      service: config.service,
      version: config.version,
      commit: config.commit,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.registry.register();
    this.logger.log(`instance ${this.registry.instanceId} registered`);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    await Promise.all([this.registry.markStopped(), this.kafkaCheck.close(), this.temporalCheck?.close()]);
  }
}
