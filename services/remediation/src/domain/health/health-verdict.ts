export type HealthVerdict = 'success' | 'failure' | 'inconclusive';

/** One signal from a metric provider: a ratio of bad to total, or nothing when it could not say. */
export interface HealthSample {
  readonly source: string;
  /** Bad observations, e.g. failed health checks or 5xx responses. */
  readonly bad: number;
  readonly total: number;
}

export interface HealthCriteria {
  /** Highest tolerated share of bad observations, 0..1. */
  readonly maxErrorRatio: number;
  /** Fewer observations than this cannot prove health either way. */
  readonly minSamples: number;
}

export const DEFAULT_HEALTH_CRITERIA: HealthCriteria = { maxErrorRatio: 0.05, minSamples: 1 };

export interface HealthAnalysis {
  readonly verdict: HealthVerdict;
  readonly errorRatio: number | null;
  readonly samples: number;
  readonly reason: string;
}

/**
 * success when enough was observed and the error ratio is within bounds; failure when it is
 * above them; inconclusive when too little was observed (the plan pauses rather than guessing).
 */
export function analyseHealth(samples: readonly HealthSample[], criteria: HealthCriteria): HealthAnalysis {
  const total = samples.reduce((s, x) => s + x.total, 0);
  const bad = samples.reduce((s, x) => s + x.bad, 0);
  if (total < criteria.minSamples || total === 0) {
    return {
      verdict: 'inconclusive',
      errorRatio: null,
      samples: total,
      reason: `only ${total} observation(s); at least ${criteria.minSamples} needed`,
    };
  }
  const ratio = bad / total;
  const verdict = ratio > criteria.maxErrorRatio ? 'failure' : 'success';
  return {
    verdict,
    errorRatio: ratio,
    samples: total,
    reason: `error ratio ${(ratio * 100).toFixed(1)}% ${verdict === 'failure' ? 'above' : 'within'} ${(criteria.maxErrorRatio * 100).toFixed(1)}% over ${total} observation(s)`,
  };
}
