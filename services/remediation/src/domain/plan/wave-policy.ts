import { RemediationError } from '../remediation.error';

/** How a plan's frozen asset set is cut into waves, and how each wave runs. */
export interface WavePolicy {
  /** Share of the assets in the first (canary) wave, in percent; at least one asset. */
  readonly canaryPercent: number;
  /** Each later wave is this many times the previous one (until the cap). Ignored with `waveCount`. */
  readonly growthFactor: number;
  /** Exact number of waves: the canary, then the rest split evenly. */
  readonly waveCount?: number;
  /** No wave is larger than this (blast radius). */
  readonly maxWaveSize: number;
  /** Changes in flight at once within a wave. */
  readonly maxConcurrency: number;
  /** Share of a wave's assets that may fail, in percent; the wave fails beyond it. */
  readonly errorThresholdPercent: number;
  /** Observation time after a wave before its health is judged. */
  readonly soakSeconds: number;
}

export const DEFAULT_WAVE_POLICY: WavePolicy = {
  canaryPercent: 5,
  growthFactor: 2,
  maxWaveSize: 100,
  maxConcurrency: 10,
  errorThresholdPercent: 10,
  soakSeconds: 60,
};

export interface PlannedWave {
  readonly index: number;
  readonly assetIds: readonly string[];
  readonly maxConcurrency: number;
  /** Failures tolerated; one more fails the wave. */
  readonly maxFailures: number;
  readonly soakSeconds: number;
}

export function wavePolicyProblems(p: WavePolicy): string[] {
  const problems: string[] = [];
  if (!(p.canaryPercent > 0 && p.canaryPercent <= 100)) problems.push('canaryPercent must be in (0, 100]');
  if (!(p.growthFactor >= 1)) problems.push('growthFactor must be at least 1');
  if (p.waveCount !== undefined && !(Number.isInteger(p.waveCount) && p.waveCount >= 1)) {
    problems.push('waveCount must be a whole number, at least 1');
  }
  if (!(Number.isInteger(p.maxWaveSize) && p.maxWaveSize >= 1))
    problems.push('maxWaveSize must be at least 1');
  if (!(Number.isInteger(p.maxConcurrency) && p.maxConcurrency >= 1)) {
    problems.push('maxConcurrency must be at least 1');
  }
  if (!(p.errorThresholdPercent >= 0 && p.errorThresholdPercent < 100)) {
    problems.push('errorThresholdPercent must be in [0, 100)');
  }
  if (!(Number.isInteger(p.soakSeconds) && p.soakSeconds >= 0))
    problems.push('soakSeconds must be at least 0');
  return problems;
}

/**
 * Cuts a frozen, de-duplicated asset set into waves: the canary first, then growing waves, none
 * larger than `maxWaveSize`. Every asset lands in exactly one wave; order is preserved.
 */
export function planWaves(assetIds: readonly string[], policy: WavePolicy): PlannedWave[] {
  const problems = wavePolicyProblems(policy);
  if (new Set(assetIds).size !== assetIds.length) problems.push('asset ids must be unique');
  if (assetIds.length === 0) problems.push('a plan needs at least one asset');
  if (problems.length > 0) {
    throw new RemediationError('REMEDIATION.INVALID_INPUT', problems.join('; '), {
      kind: 'invalid',
      metadata: { problems },
    });
  }
  const total = assetIds.length;
  const sizes: number[] = [];
  const canary = Math.min(policy.maxWaveSize, Math.max(1, Math.floor((total * policy.canaryPercent) / 100)));
  sizes.push(canary);
  let remaining = total - canary;
  if (policy.waveCount !== undefined && policy.waveCount > 1) {
    const rest = Math.max(1, Math.min(policy.waveCount - 1, remaining));
    for (let i = 0; i < rest && remaining > 0; i++) {
      const share = Math.ceil(remaining / (rest - i));
      const size = Math.min(policy.maxWaveSize, share);
      sizes.push(size);
      remaining -= size;
    }
  }
  let previous = sizes[sizes.length - 1] ?? canary;
  while (remaining > 0) {
    const size = Math.min(
      remaining,
      policy.maxWaveSize,
      Math.max(1, Math.ceil(previous * policy.growthFactor)),
    );
    sizes.push(size);
    remaining -= size;
    previous = size;
  }
  const waves: PlannedWave[] = [];
  let offset = 0;
  for (const [index, size] of sizes.entries()) {
    waves.push({
      index,
      assetIds: assetIds.slice(offset, offset + size),
      maxConcurrency: Math.min(policy.maxConcurrency, size),
      maxFailures: Math.floor((size * policy.errorThresholdPercent) / 100),
      soakSeconds: policy.soakSeconds,
    });
    offset += size;
  }
  return waves;
}
