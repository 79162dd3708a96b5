import { ConfigError } from '@rf/platform-config';
import { loadDriftConfig } from './drift.config';

const base = {
  RF_DATABASE_URL: 'postgres://rf:rf@localhost:55432/rf_drift_test',
  RF_KAFKA_BROKERS: 'localhost:19092',
  RF_REGISTRY_URL: 'http://localhost:18081/apis/registry/v3',
};

describe('loadDriftConfig', () => {
  it('defaults the drift engine settings', () => {
    expect(loadDriftConfig(base).driftEngine).toEqual({
      tickMs: 30_000,
      reconcileIntervalMs: 900_000,
      snapshotRetentionDays: 90,
      reportMaxAgeMs: 1_000,
    });
  });

  it('lists every bad setting at once', () => {
    let error: unknown;
    try {
      loadDriftConfig({ ...base, RF_DRIFT_TICK_MS: '5', RF_DRIFT_SNAPSHOT_RETENTION_DAYS: 'forever' });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/RF_DRIFT_TICK_MS/);
    expect(problems).toMatch(/RF_DRIFT_SNAPSHOT_RETENTION_DAYS/);
  });
});
