import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type Provider,
  RequestMethod,
} from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Histogram } from 'prom-client';
import { HealthController } from './health.controller';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { httpTracingMiddleware } from './http-tracing.middleware';
import { loggerParams } from './logger';
import { createMetricsRegistry, HTTP_DURATION, METRICS_REGISTRY } from './metrics';
import { MetricsController } from './metrics.controller';
import { READINESS_CHECKS, SERVICE_IDENTITY, type ServiceIdentity } from './readiness-check';

export interface ObservabilityOptions {
  readonly identity: ServiceIdentity;
  readonly logLevel: string;
  /** Providers of ReadinessCheck, resolved by token and reported by /readyz. */
  readonly readinessChecks: readonly (symbol | string | (abstract new (...args: never[]) => unknown))[];
}

/** Logging, metrics and the /healthz, /readyz, /version and /metrics endpoints every service exposes. */
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(@Inject(HTTP_DURATION) private readonly httpDuration: Histogram) {}

  static forService(options: ObservabilityOptions): DynamicModule {
    const metrics = createMetricsRegistry(options.identity.service);
    const providers: Provider[] = [
      { provide: SERVICE_IDENTITY, useValue: options.identity },
      { provide: METRICS_REGISTRY, useValue: metrics.registry },
      { provide: HTTP_DURATION, useValue: metrics.httpDuration },
      {
        provide: READINESS_CHECKS,
        useFactory: (...checks: unknown[]) => checks,
        inject: [...options.readinessChecks],
      },
    ];
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot(loggerParams({ service: options.identity.service, level: options.logLevel })),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [METRICS_REGISTRY, SERVICE_IDENTITY],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(httpTracingMiddleware(), httpMetricsMiddleware(this.httpDuration))
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
