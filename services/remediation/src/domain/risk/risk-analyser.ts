import { RemediationError } from '../remediation.error';
import {
  AUTONOMY_LEVEL_NAMES,
  AUTONOMY_LEVELS,
  autonomyLevelFor,
  type AutonomyThreshold,
  DEFAULT_AUTONOMY_THRESHOLDS,
} from './autonomy-level';
import type { DeploymentStrategy, RiskAssessment, RiskInput, RiskTiming } from './risk-assessment';
import {
  assertRiskWeights,
  DEFAULT_RISK_WEIGHTS,
  RISK_FACTORS,
  type RiskFactor,
  riskFactorProblems,
  type RiskWeights,
} from './risk-factors';
import { inWindow, nextOpening, type WeeklyWindow } from './weekly-window';

export const RISK_MODEL = { name: 'weighted-factors', version: '1.0.0' } as const;

export interface RiskAnalyserSettings {
  readonly weights: RiskWeights;
  readonly thresholds: readonly AutonomyThreshold[];
  /** Added, scaled by the compliance impact, to the score. */
  readonly complianceMaxDelta: number;
  /** Added inside business hours: more users see a change that goes wrong. */
  readonly businessHoursDelta: number;
  readonly businessHours: WeeklyWindow;
  /** Where risky changes go when they should not land in business hours. */
  readonly maintenanceWindow: WeeklyWindow & { readonly id: string };
}

export const DEFAULT_RISK_ANALYSER_SETTINGS: RiskAnalyserSettings = {
  weights: DEFAULT_RISK_WEIGHTS,
  thresholds: DEFAULT_AUTONOMY_THRESHOLDS,
  complianceMaxDelta: 0.1,
  businessHoursDelta: 0.05,
  businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '17:00', utcOffset: 'Z' },
  maintenanceWindow: {
    id: 'weeknights',
    days: ['mon', 'tue', 'wed', 'thu', 'sun'],
    start: '22:00',
    end: '04:00',
    utcOffset: 'Z',
  },
};

const LABELS: Readonly<Record<RiskFactor, string>> = {
  severity: 'severity',
  exploitability: 'exploitability',
  assetCriticality: 'asset criticality',
  patchMaturity: 'patch immaturity',
  dependencies: 'dependencies',
  rollbackComplexity: 'rollback complexity',
};

/** Above this, a change in business hours waits for the maintenance window. */
const DEFER_IN_BUSINESS_HOURS = 0.4;
/** Severe and exploitable: fix now rather than wait for a window. */
const URGENT_SEVERITY = 0.9;
const URGENT_EXPLOITABILITY = 0.7;
/** Hard rollbacks go blue-green: switching back is then instant. */
const BLUE_GREEN_ROLLBACK = 0.7;
/** Below this many assets a canary is not representative; roll instead. */
const CANARY_MIN_ASSETS = 10;
const CANARY_MIN_SCORE = 0.25;

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;
const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));

/**
 * Scores the risk of a remediation from weighted factors, adjusts it for compliance impact and
 * business hours, and derives how autonomously, how and when it should run, with its reasons.
 */
export class RiskAnalyser {
  private readonly settings: RiskAnalyserSettings;

  constructor(settings: Partial<RiskAnalyserSettings> = {}) {
    this.settings = { ...DEFAULT_RISK_ANALYSER_SETTINGS, ...settings };
    assertRiskWeights(this.settings.weights);
  }

  assess(input: RiskInput, now: Date): RiskAssessment {
    const problems = riskFactorProblems(input.factors);
    if (!(input.complianceImpact >= 0 && input.complianceImpact <= 1)) {
      problems.push('complianceImpact must be a number from 0 to 1');
    }
    if (!Number.isInteger(input.target.assetCount) || input.target.assetCount < 1) {
      problems.push('assetCount must be a whole number, at least 1');
    }
    if (problems.length > 0) {
      throw new RemediationError('REMEDIATION.INVALID_INPUT', problems.join('; '), {
        kind: 'invalid',
        metadata: { problems },
      });
    }
    const { weights } = this.settings;
    const contributions = RISK_FACTORS.map((f) => ({ factor: f, value: input.factors[f] * weights[f] }));
    const baseScore = round4(contributions.reduce((s, c) => s + c.value, 0));
    const adjustments: { name: string; delta: number }[] = [];
    if (input.complianceImpact > 0) {
      adjustments.push({
        name: 'compliance impact',
        delta: round4(input.complianceImpact * this.settings.complianceMaxDelta),
      });
    }
    const businessHours = inWindow(this.settings.businessHours, now);
    if (businessHours) adjustments.push({ name: 'business hours', delta: this.settings.businessHoursDelta });
    const score = round4(clamp01(baseScore + adjustments.reduce((s, a) => s + a.delta, 0)));
    const autonomyLevel = autonomyLevelFor(score, this.settings.thresholds);
    const strategy = this.strategyFor(input, score, autonomyLevel);
    const timing = this.timingFor(input, score, businessHours, now);

    const reasoning: string[] = [];
    reasoning.push(
      `risk score ${score.toFixed(2)} gives autonomy level ${autonomyLevel} (${AUTONOMY_LEVEL_NAMES[autonomyLevel]})`,
    );
    const top = [...contributions].sort((a, b) => b.value - a.value).slice(0, 3);
    reasoning.push(
      `main factors: ${top
        .map((c) => `${LABELS[c.factor]} ${input.factors[c.factor].toFixed(2)} × ${weights[c.factor]}`)
        .join(', ')}`,
    );
    for (const a of adjustments) {
      reasoning.push(`${a.name} adds ${a.delta.toFixed(2)} to the weighted score ${baseScore.toFixed(2)}`);
    }
    reasoning.push(this.strategyReason(strategy, input));
    reasoning.push(this.timingReason(timing, businessHours));

    return {
      target: input.target,
      factors: input.factors,
      weights,
      complianceImpact: input.complianceImpact,
      baseScore,
      adjustments,
      score,
      autonomyLevel,
      strategy,
      timing,
      reasoning,
      model: RISK_MODEL,
      assessedAt: now,
    };
  }

  private strategyFor(input: RiskInput, score: number, level: number): DeploymentStrategy {
    if (level === AUTONOMY_LEVELS.MANUAL_ONLY) return 'manual';
    if (input.factors.rollbackComplexity >= BLUE_GREEN_ROLLBACK) return 'blue_green';
    if (input.target.assetCount >= CANARY_MIN_ASSETS && score >= CANARY_MIN_SCORE) return 'canary';
    return 'rolling';
  }

  private strategyReason(strategy: DeploymentStrategy, input: RiskInput): string {
    switch (strategy) {
      case 'manual':
        return 'too risky to automate: an operator runs the change';
      case 'blue_green':
        return `rollback complexity ${input.factors.rollbackComplexity.toFixed(2)} is high: blue-green keeps the old version ready to switch back`;
      case 'canary':
        return `${input.target.assetCount} assets at moderate risk: a canary wave proves the version first`;
      case 'rolling':
        return `${input.target.assetCount} asset(s) at low risk: rolling waves suffice`;
    }
  }

  private timingFor(input: RiskInput, score: number, businessHours: boolean, now: Date): RiskTiming {
    const urgent =
      input.factors.severity >= URGENT_SEVERITY && input.factors.exploitability >= URGENT_EXPLOITABILITY;
    if (urgent || !businessHours || score <= DEFER_IN_BUSINESS_HOURS) {
      return { window: 'immediate', notBefore: now };
    }
    const window = this.settings.maintenanceWindow;
    const opening = nextOpening(window, now);
    return opening === undefined
      ? { window: 'scheduled', notBefore: now }
      : { window: 'next_maintenance_window', notBefore: opening, maintenanceWindowId: window.id };
  }

  private timingReason(timing: RiskTiming, businessHours: boolean): string {
    switch (timing.window) {
      case 'immediate':
        return businessHours
          ? 'may start now, even in business hours'
          : 'may start now, outside business hours';
      case 'next_maintenance_window':
        return `in business hours at this risk: waits for maintenance window ${timing.maintenanceWindowId ?? ''} at ${timing.notBefore.toISOString()}`;
      case 'scheduled':
        return 'no maintenance window opens within a week: schedule it by hand';
    }
  }
}
