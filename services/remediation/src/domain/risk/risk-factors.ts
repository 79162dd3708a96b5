import { RemediationError } from '../remediation.error';

export const RISK_FACTORS = [
  'severity',
  'exploitability',
  'assetCriticality',
  'patchMaturity',
  'dependencies',
  'rollbackComplexity',
] as const;

export type RiskFactor = (typeof RISK_FACTORS)[number];

/** Each factor from 0 to 1; higher means riskier. */
export type RiskFactorValues = Readonly<Record<RiskFactor, number>>;
export type RiskWeights = Readonly<Record<RiskFactor, number>>;

export const DEFAULT_RISK_WEIGHTS: RiskWeights = {
  severity: 0.25,
  exploitability: 0.2,
  assetCriticality: 0.2,
  patchMaturity: 0.15,
  dependencies: 0.1,
  rollbackComplexity: 0.1,
};

/** Rounding slack when weights are given as decimals, e.g. 0.1 + 0.2. */
const SUM_TOLERANCE = 1e-6;

/** Lists every problem of a weight set: each in [0, 1], all present, summing to 1. */
export function riskWeightProblems(weights: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  let sum = 0;
  for (const factor of RISK_FACTORS) {
    const w = weights[factor];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
      problems.push(`weight of ${factor} must be a number from 0 to 1`);
    } else {
      sum += w;
    }
  }
  for (const key of Object.keys(weights)) {
    if (!(RISK_FACTORS as readonly string[]).includes(key)) problems.push(`unknown risk factor ${key}`);
  }
  if (problems.length === 0 && Math.abs(sum - 1) > SUM_TOLERANCE) {
    problems.push(`weights must sum to 1, not ${sum.toFixed(4)}`);
  }
  return problems;
}

export function assertRiskWeights(weights: Readonly<Record<string, unknown>>): RiskWeights {
  const problems = riskWeightProblems(weights);
  if (problems.length > 0) {
    throw new RemediationError('REMEDIATION.WEIGHTS_INVALID', problems.join('; '), {
      kind: 'invalid',
      metadata: { problems },
    });
  }
  return weights as RiskWeights;
}

export function riskFactorProblems(values: Readonly<Record<string, unknown>>): string[] {
  return RISK_FACTORS.flatMap((factor) => {
    const v = values[factor];
    return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1
      ? []
      : [`${factor} must be a number from 0 to 1`];
  });
}
