import fc from 'fast-check';
import { WaveAdmission } from './wave-admission';
import { DEFAULT_WAVE_POLICY, planWaves } from './wave-policy';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `a-${i}`);

describe('planWaves', () => {
  it('starts with the canary share, then grows', () => {
    const waves = planWaves(ids(100), { ...DEFAULT_WAVE_POLICY, canaryPercent: 5, growthFactor: 2 });
    expect(waves.map((w) => w.assetIds.length)).toEqual([5, 10, 20, 40, 25]);
    expect(waves[0]?.maxConcurrency).toBe(5);
    expect(waves[3]?.maxFailures).toBe(4);
  });

  it('splits into an exact number of waves', () => {
    const waves = planWaves(ids(1000), {
      ...DEFAULT_WAVE_POLICY,
      canaryPercent: 10,
      waveCount: 10,
      maxWaveSize: 500,
    });
    expect(waves).toHaveLength(10);
    expect(waves.map((w) => w.assetIds.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
  });

  it('never exceeds the wave cap, and places every asset exactly once in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        (n, canaryPercent, maxWaveSize, waveCount) => {
          const assets = ids(n);
          const waves = planWaves(assets, { ...DEFAULT_WAVE_POLICY, canaryPercent, maxWaveSize, waveCount });
          expect(waves.flatMap((w) => w.assetIds)).toEqual(assets);
          for (const w of waves) expect(w.assetIds.length).toBeLessThanOrEqual(maxWaveSize);
          expect(waves.map((w) => w.index)).toEqual(waves.map((_, i) => i));
        },
      ),
    );
  });

  it('refuses duplicates and empty plans', () => {
    expect(() => planWaves(['a', 'a'], DEFAULT_WAVE_POLICY)).toThrow('asset ids must be unique');
    expect(() => planWaves([], DEFAULT_WAVE_POLICY)).toThrow('a plan needs at least one asset');
  });
});

describe('WaveAdmission', () => {
  it('never lets failures exceed the one that trips the wave, whatever the completion order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { minLength: 1, maxLength: 60 }),
        (concurrency, maxFailures, script) => {
          const admission = new WaveAdmission(concurrency, maxFailures);
          const inFlight: number[] = [];
          for (const [fail, pick] of script) {
            while (admission.tryLaunch()) inFlight.push(inFlight.length);
            expect(admission.counts.inFlight).toBeLessThanOrEqual(concurrency);
            if (inFlight.length === 0) break;
            inFlight.splice(pick % inFlight.length, 1);
            admission.settle(fail ? 'failed' : 'succeeded');
            expect(admission.counts.failed).toBeLessThanOrEqual(maxFailures + 1);
          }
        },
      ),
    );
  });

  it('stops launching once tripped', () => {
    const admission = new WaveAdmission(5, 1);
    expect(admission.tryLaunch()).toBe(true);
    expect(admission.tryLaunch()).toBe(true);
    expect(admission.tryLaunch()).toBe(false);
    admission.settle('failed');
    admission.settle('failed');
    expect(admission.tripped).toBe(true);
    expect(admission.tryLaunch()).toBe(false);
  });
});
