import { type DynamicModule, Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import {
  API_KEY_MIGRATIONS,
  API_KEY_REGISTRY,
  ApiKeyRegistry,
  BearerAuthenticator,
  OidcTokenVerifier,
  PostgresApiKeyRepository,
  PostgresRateLimiter,
  PrincipalTokenSigner,
  RATE_LIMIT_MIGRATIONS,
  REQUEST_AUTHENTICATOR,
  REQUEST_RATE_LIMITS,
  type RequestRateLimits,
  ServiceAuthModule,
  TokenBucketRateLimiter,
} from '@rf/platform-auth';
import { PlatformModule } from '@rf/platform-runtime';
import { raw } from 'express';
import { DataSource } from 'typeorm';
import { ApiKeysController } from './api/api-keys.controller';
import { MeController } from './api/me.controller';
import { routeProxyControllers } from './api/route-proxy.controllers';
import { DEFAULT_GATEWAY_ROUTES, type GatewayRoute } from './domain/gateway-route';
import type { GatewayConfig, GatewaySettings } from './gateway.config';
import { GATEWAY_SETTINGS, UPSTREAM_PROXY } from './gateway.tokens';
import { UpstreamProxy } from './infrastructure/http/upstream.proxy';

/** Nest application options the gateway needs: it reads bodies itself, raw and capped. */
export const GATEWAY_APP_OPTIONS = { bodyParser: false } as const;

/**
 * The one public REST entry: authenticates people (OIDC) and bots (API keys), authorises every
 * route through the policy gate, and forwards `/api/v1/<prefix>/…` to the service owning it.
 */
@Module({})
export class GatewayModule implements NestModule {
  constructor(@Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings) {}

  static register(
    config: GatewayConfig,
    routes: readonly GatewayRoute[] = DEFAULT_GATEWAY_ROUTES,
  ): DynamicModule {
    const settings = config.gateway;
    const { store, perTenant, perToken } = settings.rateLimits;
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forService({ config, migrations: [...API_KEY_MIGRATIONS, ...RATE_LIMIT_MIGRATIONS] }),
        ServiceAuthModule.forService({
          service: 'gateway',
          settings: config.auth,
          authenticator: {
            provide: REQUEST_AUTHENTICATOR,
            useFactory: (registry: ApiKeyRegistry) =>
              new BearerAuthenticator(
                settings.oidc ? new OidcTokenVerifier(settings.oidc) : undefined,
                registry,
              ),
            inject: [API_KEY_REGISTRY],
          },
          extraProviders: [
            {
              provide: REQUEST_RATE_LIMITS,
              useFactory: (dataSource: DataSource): RequestRateLimits => ({
                limiter:
                  store === 'postgres' ? new PostgresRateLimiter(dataSource) : new TokenBucketRateLimiter(),
                perTenant,
                perToken,
              }),
              inject: [DataSource],
            },
            {
              provide: API_KEY_REGISTRY,
              useFactory: (dataSource: DataSource) =>
                new ApiKeyRegistry(new PostgresApiKeyRepository(dataSource)),
              inject: [DataSource],
            },
          ],
          exports: [API_KEY_REGISTRY],
        }),
      ],
      controllers: [MeController, ApiKeysController, ...routeProxyControllers(routes)],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: settings },
        {
          provide: UPSTREAM_PROXY,
          useFactory: () =>
            new UpstreamProxy(new PrincipalTokenSigner(settings.principalSigningKey.key()), {
              upstreams: settings.upstreams,
              timeoutMs: settings.upstreamTimeoutMs,
              pageLimits: { defaultSize: Math.min(50, settings.maxPageSize), maxSize: settings.maxPageSize },
            }),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Bodies stay bytes (forwarded untouched); larger than the cap answers 413 before anything else.
    consumer.apply(raw({ type: () => true, limit: this.settings.bodyLimitBytes })).forRoutes('*path');
  }
}
