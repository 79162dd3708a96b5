import { RiskAnalyser } from './risk-analyser';
import type { RiskInput } from './risk-assessment';
import { DEFAULT_RISK_WEIGHTS, riskWeightProblems } from './risk-factors';
import { inWindow, nextOpening } from './weekly-window';

const SATURDAY_NOON = new Date('2025-11-22T12:00:00Z');
const TUESDAY_10 = new Date('2025-11-25T10:00:00Z');

const input = (patch: Partial<RiskInput['factors']> = {}, more: Partial<RiskInput> = {}): RiskInput => ({
  target: { family: 'ubuntu-22-04-base', toVersion: '2025.11.1', environment: 'prod', assetCount: 40 },
  factors: {
    severity: 0.4,
    exploitability: 0.2,
    assetCriticality: 0.5,
    patchMaturity: 0.2,
    dependencies: 0.3,
    rollbackComplexity: 0.2,
    ...patch,
  },
  complianceImpact: 0,
  ...more,
});

describe('RiskAnalyser', () => {
  const analyser = new RiskAnalyser();

  it('weighs the six factors 25/20/20/15/10/10', () => {
    const a = analyser.assess(input(), SATURDAY_NOON);
    // 0.4·.25 + 0.2·.2 + 0.5·.2 + 0.2·.15 + 0.3·.1 + 0.2·.1 = 0.32
    expect(a.baseScore).toBeCloseTo(0.32, 6);
    expect(a.score).toBeCloseTo(0.32, 6);
    expect(a.adjustments).toEqual([]);
    expect(a.autonomyLevel).toBe(4);
    expect(a.strategy).toBe('canary');
    expect(a.timing).toEqual({ window: 'immediate', notBefore: SATURDAY_NOON });
    expect(a.reasoning[0]).toBe('risk score 0.32 gives autonomy level 4 (HIGH_AUTONOMY)');
    expect(a.reasoning[1]).toContain('asset criticality 0.50 × 0.2');
  });

  it('adds compliance impact and business hours on top of the weighted score', () => {
    const a = analyser.assess(input({}, { complianceImpact: 0.5 }), TUESDAY_10);
    expect(a.adjustments).toEqual([
      { name: 'compliance impact', delta: 0.05 },
      { name: 'business hours', delta: 0.05 },
    ]);
    expect(a.score).toBeCloseTo(0.42, 6);
    expect(a.autonomyLevel).toBe(3);
    // Above 0.4 in business hours: deferred to the next maintenance window, Tuesday 22:00 UTC.
    expect(a.timing.window).toBe('next_maintenance_window');
    expect(a.timing.notBefore.toISOString()).toBe('2025-11-25T22:00:00.000Z');
    expect(a.timing.maintenanceWindowId).toBe('weeknights');
  });

  it('keeps severe, exploitable fixes immediate even in business hours', () => {
    const a = analyser.assess(input({ severity: 1, exploitability: 0.9, assetCriticality: 0.9 }), TUESDAY_10);
    expect(a.score).toBeGreaterThan(0.4);
    expect(a.timing.window).toBe('immediate');
  });

  it('maps scores to levels 5..0 and manual strategy at level 0', () => {
    const all = (v: number) =>
      analyser.assess(
        input({
          severity: v,
          exploitability: v,
          assetCriticality: v,
          patchMaturity: v,
          dependencies: v,
          rollbackComplexity: Math.min(v, 0.5),
        }),
        SATURDAY_NOON,
      );
    expect(all(0.1).autonomyLevel).toBe(5);
    expect(all(0.1).strategy).toBe('rolling');
    expect(all(0.95).autonomyLevel).toBe(0);
    expect(all(0.95).strategy).toBe('manual');
  });

  it('chooses blue-green when rollback is hard', () => {
    expect(analyser.assess(input({ rollbackComplexity: 0.8 }), SATURDAY_NOON).strategy).toBe('blue_green');
  });

  it('rejects factors out of range with every problem listed', () => {
    expect(() => analyser.assess(input({ severity: 1.5, dependencies: -1 }), SATURDAY_NOON)).toThrow(
      'severity must be a number from 0 to 1; dependencies must be a number from 0 to 1',
    );
  });

  it('accepts configurable weights only when they sum to 1', () => {
    expect(riskWeightProblems(DEFAULT_RISK_WEIGHTS)).toEqual([]);
    expect(riskWeightProblems({ ...DEFAULT_RISK_WEIGHTS, severity: 0.35 })).toEqual([
      'weights must sum to 1, not 1.1000',
    ]);
    expect(() => new RiskAnalyser({ weights: { ...DEFAULT_RISK_WEIGHTS, severity: 0.15 } })).toThrow(
      'weights must sum to 1',
    );
    const custom = new RiskAnalyser({
      weights: { ...DEFAULT_RISK_WEIGHTS, severity: 0.15, rollbackComplexity: 0.2 },
    });
    expect(custom.assess(input(), SATURDAY_NOON).baseScore).toBeCloseTo(0.32 - 0.04 + 0.02, 6);
  });
});

describe('weekly windows', () => {
  const night = { days: ['mon'] as const, start: '22:00', end: '04:00', utcOffset: '+01:00' };
  it('runs past midnight into the next day', () => {
    expect(inWindow({ ...night, days: ['mon'] }, new Date('2025-11-24T21:30:00Z'))).toBe(true); // Mon 22:30
    expect(inWindow({ ...night, days: ['mon'] }, new Date('2025-11-25T02:00:00Z'))).toBe(true); // Tue 03:00
    expect(inWindow({ ...night, days: ['mon'] }, new Date('2025-11-25T03:30:00Z'))).toBe(false); // Tue 04:30
    expect(nextOpening({ ...night, days: ['mon'] }, new Date('2025-11-25T12:00:00Z'))?.toISOString()).toBe(
      '2025-12-01T21:00:00.000Z',
    );
  });
});
