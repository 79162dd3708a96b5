import { ConfigError } from './config.error';
import { describeServiceConfig, loadServiceConfig } from './service-config';

const spec = { service: 'drift', version: '1.2.3', usesTemporal: false } as const;

describe('loadServiceConfig', () => {
  it('defaults to the local stack in development', () => {
    const config = loadServiceConfig(spec, {});
    expect(config.env).toBe('development');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3102 });
    expect(config.database.url).toBe('postgres://rf:rf@127.0.0.1:55432/rf_drift');
    expect(config.kafka).toEqual({ brokers: ['127.0.0.1:19092'], clientId: 'rf-drift' });
    expect(config.temporal).toBeNull();
    expect(config.otel.endpoint).toBeNull();
  });

  it('parses explicit values', () => {
    const config = loadServiceConfig(
      { ...spec, usesTemporal: true },
      {
        RF_HTTP_PORT: '8080',
        RF_KAFKA_BROKERS: 'k1:9092, k2:9092',
        RF_TEMPORAL_ADDRESS: 'temporal:7233',
        RF_TEMPORAL_NAMESPACE: 'fabric',
        RF_BUILD_COMMIT: 'abc1234',
      },
    );
    expect(config.http.port).toBe(8080);
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.temporal).toEqual({ address: 'temporal:7233', namespace: 'fabric' });
    expect(config.commit).toBe('abc1234');
  });

  it('lists every problem at once', () => {
    const attempt = () =>
      loadServiceConfig(spec, {
        RF_HTTP_PORT: 'eighty',
        RF_DATABASE_URL: 'mysql://x/y',
        RF_LOG_LEVEL: 'loud',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error: unknown) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/RF_HTTP_PORT/);
      expect(problems).toMatch(/RF_DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(problems).toMatch(/RF_LOG_LEVEL/);
    }
  });

  it('requires explicit infrastructure addresses in production', () => {
    expect(() => loadServiceConfig({ ...spec, usesTemporal: true }, { RF_ENV: 'production' })).toThrow(
      /RF_DATABASE_URL: required when RF_ENV=production[\s\S]*RF_KAFKA_BROKERS[\s\S]*RF_REGISTRY_URL[\s\S]*RF_TEMPORAL_ADDRESS/,
    );
  });

  it('masks the database password when described for logs', () => {
    const config = loadServiceConfig(spec, { RF_DATABASE_URL: 'postgres://svc:s3cret@db:5432/rf_drift' });
    const described = describeServiceConfig(config);
    expect(described.database.url).toBe('postgres://svc:***@db:5432/rf_drift');
    expect(JSON.stringify(described)).not.toContain('s3cret');
    expect(config.database.url).toContain('s3cret');
  });
});
