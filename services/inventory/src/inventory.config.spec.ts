import { ConfigError } from '@rf/platform-config';
import { loadInventoryConfig } from './inventory.config';

describe('loadInventoryConfig', () => {
  it('seeds a simulated fleet by default only in development', () => {
    expect(loadInventoryConfig({}).inventory.seedSimulatedFleet).toEqual({
      enabled: true,
      organisation: 'default',
      size: 10_000,
      schedule: '*/10 * * * *',
    });
    expect(loadInventoryConfig({ RF_ENV: 'test' }).inventory.seedSimulatedFleet.enabled).toBe(false);
    expect(
      loadInventoryConfig({ RF_ENV: 'test', RF_INVENTORY_SEED_SIMULATED_FLEET: 'true' }).inventory
        .seedSimulatedFleet.enabled,
    ).toBe(true);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadInventoryConfig({
        RF_HTTP_PORT: 'x',
        RF_INVENTORY_SCHEDULER_TICK_MS: '5',
        RF_INVENTORY_SEED_FLEET_SCHEDULE: 'every minute',
      });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/RF_HTTP_PORT/);
    expect(problems).toMatch(/RF_INVENTORY_SCHEDULER_TICK_MS/);
    expect(problems).toMatch(/RF_INVENTORY_SEED_FLEET_SCHEDULE/);
  });

  it('reads the policy gate and gateway key settings, and requires them in production', () => {
    expect(loadInventoryConfig({}).auth.policy).toMatchObject({ mode: 'dev', publicKey: null });
    let error: unknown;
    try {
      loadInventoryConfig({ RF_ENV: 'production', RF_POLICY_MODE: 'dev' });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      expect.arrayContaining([
        'RF_POLICY_MODE: must be prod when RF_ENV=production',
        'RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: required when RF_ENV=production',
      ]),
    );
  });
});
