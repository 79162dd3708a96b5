import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ServiceConfig } from '@rf/platform-config';
import { createKafka, KafkaReadinessCheck, schemaRegistryReadinessCheck } from '@rf/platform-events';
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
import {
  DATABASE_READINESS,
  KAFKA,
  KAFKA_READINESS,
  REGISTRY_READINESS,
  SERVICE_CONFIG,
  TEMPORAL_READINESS,
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
              migrations: options.migrations ?? [],
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
      providers: [ServiceLifecycle],
    };
  }
}
