import type { DynamicModule, INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeServiceConfig, type ServiceConfig } from '@rf/platform-config';
import {
  type EventCatalogue,
  KafkaInboxTransport,
  type OutboxWriter,
  SchemaDirectory,
} from '@rf/platform-events';
import { METRICS_REGISTRY, startTracing } from '@rf/platform-observability';
import type { Kafka } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { EVENT_CATALOGUE, KAFKA, OUTBOX_WRITER } from './platform.tokens';

export interface ServiceEntrypoint {
  readonly loadConfig: () => ServiceConfig;
  readonly module: (config: ServiceConfig) => DynamicModule;
  /** E.g. `bodyParser: false` for a service that reads bodies itself (the gateway forwards them raw). */
  readonly appOptions?: NestApplicationOptions;
}

/**
 * Boots a service: validated config, tracing, the Nest app, and a graceful shutdown bounded by
 * RF_SHUTDOWN_TIMEOUT_MS. A config error exits at once with every problem listed.
 */
export async function runService(entry: ServiceEntrypoint): Promise<void> {
  let config: ServiceConfig;
  try {
    config = entry.loadConfig();
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const stopTracing = startTracing({
    service: config.service,
    version: config.version,
    otlpEndpoint: config.otel.endpoint,
  });

  const app = await NestFactory.create(entry.module(config), { ...entry.appOptions, bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  connectEventInbox(app, config);
  await app.startAllMicroservices();
  await app.listen(config.http.port, config.http.host);

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    setTimeout(() => {
      logger.error(`shutdown exceeded ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    logger.log(`${signal} received; draining`);
    await app.close();
    await stopTracing();
    process.exit(0);
  };
  process.once('SIGTERM', (s) => void shutdown(s));
  process.once('SIGINT', (s) => void shutdown(s));
  logger.log(
    { config: describeServiceConfig(config) },
    `${config.service} listening on ${await app.getUrl()}`,
  );
}

/** Feeds the app's `@EventPattern` handlers from the inbox, consuming as group `rf-<service>`. */
export function connectEventInbox(app: INestApplication, config: ServiceConfig): void {
  app.connectMicroservice(
    {
      strategy: new KafkaInboxTransport({
        consumer: `rf-${config.service}`,
        dataSource: app.get(DataSource),
        kafka: app.get<Kafka>(KAFKA),
        catalogue: app.get<EventCatalogue>(EVENT_CATALOGUE),
        schemas: new SchemaDirectory(config.registry.url),
        outbox: app.get<OutboxWriter>(OUTBOX_WRITER),
        metrics: app.get<Registry>(METRICS_REGISTRY),
      }),
    },
    { inheritAppConfig: true },
  );
}
