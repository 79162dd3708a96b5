import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildSignedPolicyBundle, type SignedPolicyBundle } from '@rf/platform-auth/testing';
import { SERVICE_NAMES } from '@rf/platform-config';
import { testServiceEnvironment } from '@rf/platform-testing';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { type GatewayConfig, loadGatewayConfig, type UpstreamName } from '../gateway.config';
import { GATEWAY_APP_OPTIONS, GatewayModule } from '../gateway.module';
import { EchoUpstream } from './echo-upstream.fixture';
import { TEST_AUDIENCE, TEST_ISSUER, TestIdentityProvider } from './identity-provider.fixture';

export const UPSTREAM_NAMES = SERVICE_NAMES.filter((s): s is UpstreamName => s !== 'gateway');

/**
 * What a gateway test runs against: the real wasm policy bundle (signed, prod mode), a loopback
 * identity provider, one checking upstream per service, and the gateway's test database.
 */
export class GatewayTestBed {
  readonly idp = new TestIdentityProvider();
  readonly upstreams = new Map<UpstreamName, EchoUpstream>(
    UPSTREAM_NAMES.map((s) => [s, new EchoUpstream(s)]),
  );
  bundle!: SignedPolicyBundle;
  private readonly apps: INestApplication[] = [];

  async start(): Promise<void> {
    this.bundle = buildSignedPolicyBundle();
    await this.idp.start();
    await Promise.all([...this.upstreams.values()].map((u) => u.start()));
  }

  config(overrides: Record<string, string> = {}): GatewayConfig {
    return loadGatewayConfig(
      testServiceEnvironment('gateway', {
        RF_POLICY_MODE: 'prod',
        RF_POLICY_BUNDLE: this.bundle.bundlePath,
        RF_POLICY_PUBLIC_KEY: this.bundle.publicKeyPem,
        RF_OIDC_ISSUER: TEST_ISSUER,
        RF_OIDC_AUDIENCE: TEST_AUDIENCE,
        RF_OIDC_JWKS_URI: this.idp.jwksUri,
        ...Object.fromEntries(
          [...this.upstreams].map(([s, u]) => [`RF_UPSTREAM_${s.toUpperCase()}_URL`, u.url]),
        ),
        ...overrides,
      }),
    );
  }

  /** Boots a gateway on a loopback port 0 and answers its base URL. */
  async boot(config: GatewayConfig): Promise<{ app: INestApplication; url: string }> {
    const moduleRef = await Test.createTestingModule({ imports: [GatewayModule.register(config)] }).compile();
    const app = moduleRef.createNestApplication({ logger: false, ...GATEWAY_APP_OPTIONS });
    await app.listen(0, '127.0.0.1');
    this.apps.push(app);
    return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  }

  async stop(): Promise<void> {
    for (const app of this.apps.reverse()) await app.close();
    await Promise.all([...this.upstreams.values()].map((u) => u.stop()));
    await this.idp.stop();
    rmSync(this.bundle.dir, { recursive: true, force: true });
  }
}

/** Only the gateway's tables and the backbone's: the database is the gateway's test database. */
export async function resetGatewayDatabase(config: GatewayConfig): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: config.database.url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}
