import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import type { ServiceName } from '@rf/platform-config';
import type { OutboxWriter } from '@rf/platform-events';
import { entrypointOf, OutboxDecisionRecorder, POLICIES, PolicyModule } from '@rf/platform-policy';
import { OUTBOX_WRITER } from '@rf/platform-runtime';
import { DataSource } from 'typeorm';
import { PrincipalTokenVerifier } from '../principal-token/principal-token.verifier';
import type { ServiceAuthSettings } from '../service-auth.settings';
import { AuthGuard } from './auth.guard';
import { REQUEST_AUTHENTICATOR } from './auth.tokens';
import { ForwardedPrincipalAuthenticator } from './forwarded-principal.authenticator';
import { nestPolicyLogger } from './nest-policy.logger';
import { TenantRecordMissInterceptor } from './tenant-record-miss.interceptor';

export interface ServiceAuthOptions {
  readonly service: ServiceName;
  readonly settings: ServiceAuthSettings;
  /** How callers authenticate; a service behind the gateway trusts the forwarded principal. */
  readonly authenticator?: Provider;
  readonly extraProviders?: Provider[];
  /** Tokens of extra providers the service's own controllers inject. */
  readonly exports?: symbol[];
  /** Entrypoints the service's own decisions use besides `rf.authz`; a bundle lacking one is refused. */
  readonly requiredEntrypoints?: readonly string[];
}

/**
 * Guards every route of a service: the policy gate (decisions recorded through the service's
 * outbox), the request authenticator, AuthGuard as the APP_GUARD, and the log of lookups by id
 * that found nothing in the caller's organisation. The gate (POLICY_GATE) is
 * exported, so a service's own decisions (remediation waves, image promotion) share it: one bundle,
 * one watcher, one hash per service.
 */
@Module({})
export class ServiceAuthModule {
  static forService(options: ServiceAuthOptions): DynamicModule {
    const { service, settings } = options;
    const authenticator: Provider = options.authenticator ?? {
      provide: REQUEST_AUTHENTICATOR,
      useValue: new ForwardedPrincipalAuthenticator(
        new PrincipalTokenVerifier(settings.principalPublicKey, service),
      ),
    };
    return {
      module: ServiceAuthModule,
      imports: [
        PolicyModule.forRootAsync({
          inject: [OUTBOX_WRITER, DataSource],
          useFactory: (outbox: OutboxWriter, dataSource: DataSource) => ({
            gate: {
              service,
              mode: settings.policy.mode,
              ...(settings.policy.publicKey ? { publicKey: settings.policy.publicKey } : {}),
              requiredEntrypoints: [entrypointOf(POLICIES.authz), ...(options.requiredEntrypoints ?? [])],
              // Outside the business transaction: the decision is kept even when the request is refused.
              recorder: new OutboxDecisionRecorder(outbox, dataSource.manager),
              logger: nestPolicyLogger(),
            },
            bundle: { bundlePath: settings.policy.bundlePath },
            pollIntervalMs: settings.policy.pollMs,
          }),
        }),
      ],
      providers: [
        authenticator,
        ...(options.extraProviders ?? []),
        { provide: APP_GUARD, useClass: AuthGuard },
        // A 404 by id is how another tenant's record answers: every such miss is logged.
        { provide: APP_INTERCEPTOR, useClass: TenantRecordMissInterceptor },
      ],
      exports: [REQUEST_AUTHENTICATOR, PolicyModule, ...(options.exports ?? [])],
    };
  }
}
