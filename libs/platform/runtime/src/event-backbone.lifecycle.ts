import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ServiceConfig } from '@rf/platform-config';
import {
  DEFAULT_RELAY_SETTINGS,
  type EventCatalogue,
  OutboxRelay,
  SchemaIdResolver,
  SchemaPublisher,
} from '@rf/platform-events';
import { METRICS_REGISTRY } from '@rf/platform-observability';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { EVENT_CATALOGUE, KAFKA, SERVICE_CONFIG } from './platform.tokens';

const REGISTRATION_RETRY_MS = 5_000;

/**
 * Runs the service's outbox relay, and registers the schemas of the events the service produces
 * (BACKWARD compatibility). Registration retries in the background, so a registry outage delays
 * publishing, which the relay retries, but never the service's start.
 */
@Injectable()
export class EventBackboneLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventBackbone');
  private readonly relay: OutboxRelay;
  private registering: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(EVENT_CATALOGUE) private readonly catalogue: EventCatalogue,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    dataSource: DataSource,
  ) {
    this.relay = new OutboxRelay(
      dataSource,
      kafka,
      new SchemaIdResolver(config.registry.url),
      { ...DEFAULT_RELAY_SETTINGS, databaseUrl: config.database.url },
      metrics,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    this.registering = this.registerProducedSchemas();
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.relay.stop();
    await this.registering;
  }

  private async registerProducedSchemas(): Promise<void> {
    const publisher = new SchemaPublisher(this.config.registry.url);
    const produced = this.catalogue
      .all()
      .filter((d) => d.producer === this.config.service || d.producer === 'any')
      .map((d) => ({ subject: d.subject, schema: d.registrySchema }));
    while (!this.stopped) {
      try {
        await publisher.register(produced);
        this.logger.log(`registered ${produced.length} event schemas`);
        return;
      } catch (error: unknown) {
        this.logger.warn(
          `schema registration failed, retrying: ${error instanceof Error ? error.message : String(error)}`,
        );
        await new Promise((resolve) => setTimeout(resolve, REGISTRATION_RETRY_MS).unref());
      }
    }
  }
}
