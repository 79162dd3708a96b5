import { ConfigError, loadServiceConfig } from '@rf/platform-config';
import { asComplianceConfig, loadComplianceConfig } from './compliance.config';
import { DEFAULT_COMPLIANCE_THRESHOLDS } from './domain/scoring/compliance-thresholds';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadComplianceConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('compliance config', () => {
  it('defaults to the 0.85 target and the documented thresholds', () => {
    const config = loadComplianceConfig({});
    expect(config).toMatchObject({ service: 'compliance', http: { port: 3103 } });
    expect(config.compliance).toEqual({
      aggregateIntervalMs: 2_000,
      thresholds: DEFAULT_COMPLIANCE_THRESHOLDS,
    });
    expect(config.compliance.thresholds.target).toBe(0.85);
  });

  it('takes its settings, and lists every bad one with the shared ones', () => {
    expect(
      loadComplianceConfig({ RF_COMPLIANCE_TARGET: '0.9', RF_COMPLIANCE_PATCH_SLA_DAYS: '7' }).compliance
        .thresholds,
    ).toMatchObject({ target: 0.9, patchSlaDays: 7 });
    expect(
      problemsOf({ RF_COMPLIANCE_TARGET: '1.5', RF_COMPLIANCE_MIN_SLSA_BUILD_LEVEL: '5', RF_HTTP_PORT: 'x' }),
    ).toEqual([
      expect.stringMatching(/^RF_HTTP_PORT: /),
      expect.stringMatching(/^RF_COMPLIANCE_TARGET: /),
      expect.stringMatching(/^RF_COMPLIANCE_MIN_SLSA_BUILD_LEVEL: /),
    ]);
  });

  it('reads the policy gate and gateway key settings, and requires them in production', () => {
    expect(loadComplianceConfig({}).auth.policy).toMatchObject({ mode: 'dev', publicKey: null });
    expect(problemsOf({ RF_POLICY_MODE: 'prod', RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: 'not a key' })).toEqual([
      'RF_POLICY_PUBLIC_KEY: required in prod mode',
      'RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: not a PEM public key',
    ]);
  });

  it('tells a compliance config from the shared one', () => {
    const shared = loadServiceConfig({ service: 'compliance', version: '0', usesTemporal: false }, {});
    expect(() => asComplianceConfig(shared)).toThrow('loadComplianceConfig');
  });
});
