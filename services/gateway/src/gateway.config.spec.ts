import { ConfigError, describeServiceConfig } from '@rf/platform-config';
import { generateKeyPairSync } from 'node:crypto';
import { loadGatewayConfig } from './gateway.config';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadGatewayConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

const pem = (type: 'public' | 'private') => {
  const keys = generateKeyPairSync('ed25519');
  return type === 'public'
    ? keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
    : keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
};

describe('gateway config', () => {
  it('runs on a developer machine with no settings: API keys only, development keys, dev policy mode', () => {
    const config = loadGatewayConfig({});
    expect(config.gateway.oidc).toBeNull();
    expect(config.gateway.principalSigningKey.development).toBe(true);
    expect(config.auth.policy).toMatchObject({ mode: 'dev', bundlePath: '.stack/policy/bundle.tar.gz' });
    expect(config.gateway.upstreams).toMatchObject({
      inventory: 'http://127.0.0.1:3101',
      quantum: 'http://127.0.0.1:3107',
    });
  });

  it('never shows the signing key when the config is logged', () => {
    const secret = pem('private');
    const config = loadGatewayConfig({ RF_GATEWAY_PRINCIPAL_SIGNING_KEY: secret });
    const logged = JSON.stringify(describeServiceConfig(config));
    expect(logged).not.toContain(secret.split('\n')[1]);
    expect(JSON.stringify(config)).not.toContain(secret.split('\n')[1]);
    expect(config.gateway.principalSigningKey.key().asymmetricKeyType).toBe('ed25519');
  });

  it('requires OIDC, a real signing key and a signed bundle in production, listing every problem', () => {
    const problems = problemsOf({
      RF_ENV: 'production',
      RF_DATABASE_URL: 'postgres://rf:x@db:5432/rf_gateway',
      RF_KAFKA_BROKERS: 'kafka:9092',
      RF_REGISTRY_URL: 'http://registry:8080',
      RF_POLICY_MODE: 'dev',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'RF_POLICY_MODE: must be prod when RF_ENV=production',
        'RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: required when RF_ENV=production',
        'RF_OIDC_ISSUER: required when RF_ENV=production',
        'RF_GATEWAY_PRINCIPAL_SIGNING_KEY: required when RF_ENV=production',
      ]),
    );
  });

  it('refuses half an OIDC configuration, a non-ed25519 key and a symmetric algorithm list', () => {
    expect(problemsOf({ RF_OIDC_ISSUER: 'https://idp.example/' })).toContain(
      'OIDC: set all of RF_OIDC_ISSUER, RF_OIDC_AUDIENCE, RF_OIDC_JWKS_URI or none',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(problemsOf({ RF_GATEWAY_PRINCIPAL_SIGNING_KEY: rsa })).toContain(
      'RF_GATEWAY_PRINCIPAL_SIGNING_KEY: must be an ed25519 private key',
    );
    expect(problemsOf({ RF_GATEWAY_PRINCIPAL_SIGNING_KEY: 'not a key' })).toContain(
      'RF_GATEWAY_PRINCIPAL_SIGNING_KEY: not a PEM private key',
    );
  });

  it('accepts a complete production configuration', () => {
    const config = loadGatewayConfig({
      RF_ENV: 'production',
      RF_DATABASE_URL: 'postgres://rf:x@db:5432/rf_gateway',
      RF_KAFKA_BROKERS: 'kafka:9092',
      RF_REGISTRY_URL: 'http://registry:8080',
      RF_POLICY_PUBLIC_KEY: pem('public'),
      RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: pem('public'),
      RF_GATEWAY_PRINCIPAL_SIGNING_KEY: pem('private'),
      RF_OIDC_ISSUER: 'https://idp.example/',
      RF_OIDC_AUDIENCE: 'rf-api',
      RF_OIDC_JWKS_URI: 'https://idp.example/jwks.json',
    });
    expect(config.auth.policy.mode).toBe('prod');
    expect(config.gateway.principalSigningKey.development).toBe(false);
    expect(config.gateway.oidc).toMatchObject({ issuer: 'https://idp.example/', clockToleranceSeconds: 60 });
  });
});
