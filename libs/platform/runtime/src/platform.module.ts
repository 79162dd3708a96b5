import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ServiceConfig } from '@rf/platform-config';
import {
  CONTRACT_EVENT_CATALOGUE,
  createKafka,
  EVENT_BACKBONE_MIGRATIONS,
  type EventCatalogue,
  KafkaReadinessCheck,
  OutboxWriter,
  schemaRegistryReadinessCheck,
  UnitOfWork,
} from '@rf/platform-events';
import { ObservabilityModule } from '@rf/platform-observability';
import {
  createDataSource,
  databaseReadinessCheck,
  type DatabaseSettings,
  runMigrations,
} from '@rf/platform-persistence';
import { TemporalReadinessCheck } from '@rf/platform-temporal';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { EventBackboneLifecycle } from './event-backbone.lifecycle';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import {
  DATABASE_READINESS,
  EVENT_CATALOGUE,
  KAFKA,
  KAFKA_READINESS,
  OUTBOX_WRITER,
  REGISTRY_READINESS,
  SERVICE_CONFIG,
  TEMPORAL_READINESS,
  UNIT_OF_WORK,
} from './platform.tokens';
import { ServiceLifecycle } from './service-lifecycle';

export interface PlatformOptions {
  readonly config: ServiceConfig;
  readonly entities?: DatabaseSettings['entities'];
  readonly migrations?: DatabaseSettings['migrations'];
}

/** The dependencies every service connects to, shared with the service's own modules. */
@Global()
@Module({})
class PlatformConnectionsModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const providers: Provider[] = [
      { provide: SERVICE_CONFIG, useValue: config },
      { provide: KAFKA, useFactory: () => createKafka(config.kafka) },
      { provide: EVENT_CATALOGUE, useValue: CONTRACT_EVENT_CATALOGUE },
      {
        provide: OUTBOX_WRITER,
        useFactory: (catalogue: EventCatalogue) => new OutboxWriter(catalogue, `/rf/${config.service}`),
        inject: [EVENT_CATALOGUE],
      },
      {
        provide: UNIT_OF_WORK,
        useFactory: (dataSource: DataSource, outbox: OutboxWriter) => new UnitOfWork(dataSource, outbox),
        inject: [DataSource, OUTBOX_WRITER],
      },
      { provide: DATABASE_READINESS, useFactory: databaseReadinessCheck, inject: [DataSource] },
      {
        provide: KAFKA_READINESS,
        useFactory: (kafka: Kafka) => new KafkaReadinessCheck(kafka),
        inject: [KAFKA],
      },
      { provide: REGISTRY_READINESS, useFactory: () => schemaRegistryReadinessCheck(config.registry.url) },
      {
        provide: TEMPORAL_READINESS,
        useFactory: () => (config.temporal ? new TemporalReadinessCheck(config.temporal) : null),
      },
    ];
    return {
      module: PlatformConnectionsModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({}),
          dataSourceFactory: async () => {
            const dataSource = createDataSource({
              url: config.database.url,
              service: config.service,
              entities: options.entities ?? [],
              migrations: [...EVENT_BACKBONE_MIGRATIONS, ...(options.migrations ?? [])],
            });
            await dataSource.initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      providers,
      exports: providers.map((p) => (p as { provide: symbol }).provide),
    };
  }
}

/** Connections, migrations, logging, metrics and probes: everything a service runs on. */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const connections = PlatformConnectionsModule.forService(options);
    const checks = [DATABASE_READINESS, KAFKA_READINESS, REGISTRY_READINESS];
    if (config.temporal) checks.push(TEMPORAL_READINESS);
    return {
      module: PlatformModule,
      imports: [
        connections,
        ObservabilityModule.forService({
          identity: { service: config.service, version: config.version, commit: config.commit },
          logLevel: config.logLevel,
          readinessChecks: checks,
        }),
      ],
      providers: [
        ServiceLifecycle,
        EventBackboneLifecycle,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
