import fc from 'fast-check';
import { DriftEngine } from './drift-engine';
import { recomputeDrift } from './drift-recompute';
import type { AssetFacts, DriftInput, DriftTransition } from './drift.types';
import { applyImageInput, ImageCatalogue, type ImageInput } from './image-catalogue';

const DAY = 86_400_000;
const FAMILIES = ['ubuntu', 'rhel'];
const VERSIONS = ['v0', 'v1', 'v2', 'v3', 'v4'];
const ASSETS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const ref = (family: string, version: string) => `ami-${family}-${version}`;

const family = fc.constantFrom(...FAMILIES);
const version = fc.constantFrom(...VERSIONS);
const lag = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });

type Step = { readonly dt: number; readonly input: DriftInput };

const asset: fc.Arbitrary<AssetFacts> = fc.record({
  assetId: fc.constantFrom(...ASSETS),
  environment: fc.constantFrom('prod', 'dev'),
  platform: fc.constant('aws' as const),
  site: fc.constantFrom(null, 'london'),
  region: fc.constant('eu-west-1'),
  imageRef: fc.oneof(
    fc.constant(null),
    fc.constant('ami-unknown'),
    fc.tuple(family, version).map(([f, v]) => ref(f, v)),
  ),
  state: fc.constantFrom('running', 'running', 'stopped', 'terminated'),
});

const input: fc.Arbitrary<DriftInput> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant('image-published' as const),
        family,
        version,
        allowedLagVersions: lag,
        at: fc.constant(0),
      })
      .map((p) => ({ ...p, artifacts: [{ platform: 'aws' as const, imageRef: ref(p.family, p.version) }] })),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('image-promoted' as const),
      family,
      version,
      toChannel: fc.constantFrom('staging' as const, 'prod' as const),
      allowedLagVersions: lag,
      at: fc.constant(0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('image-revoked' as const),
      versions: fc.array(fc.record({ family, version }), { minLength: 1, maxLength: 2 }),
      // Relative to the event time: immediate, past or scheduled.
      effectiveAt: fc.integer({ min: -2, max: 3 }).map((d) => d * DAY),
    }),
  },
  { weight: 6, arbitrary: asset.map((a) => ({ kind: 'asset-seen' as const, asset: a })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...ASSETS).map((assetId) => ({ kind: 'asset-removed' as const, assetId })),
  },
);

const steps = fc.array(fc.record({ dt: fc.integer({ min: 0, max: 2 * DAY }), input }), { maxLength: 60 });

/** Event times are absolute: `at` and `effectiveAt` above are offsets from the step's time. */
function absolute(step: Step, now: number): DriftInput {
  const { input: i } = step;
  switch (i.kind) {
    case 'image-published':
    case 'image-promoted':
      return { ...i, at: now };
    case 'image-revoked':
      return { ...i, effectiveAt: now + i.effectiveAt };
    case 'asset-seen':
    case 'asset-removed':
      return i;
  }
}

function run(sequence: readonly Step[]) {
  let n = 0;
  const engine = new DriftEngine(() => `drift-${++n}`);
  const images: ImageInput[] = [];
  const fleet = new Map<string, AssetFacts>();
  const transitions: DriftTransition[] = [];
  let now = Date.UTC(2026, 0, 1);
  const checks: (() => void)[] = [];
  for (const step of sequence) {
    now += step.dt;
    const event = absolute(step, now);
    transitions.push(...engine.apply(event, now));
    if (event.kind === 'asset-seen') fleet.set(event.asset.assetId, event.asset);
    else if (event.kind === 'asset-removed') fleet.delete(event.assetId);
    else images.push(event);
    const at = now;
    const snapshotFleet = [...fleet.values()];
    const snapshotImages = [...images];
    const counted = engine.counters.canonical();
    const open = new Set([...engine.tracked()].filter((t) => t.episode !== null).map((t) => t.facts.assetId));
    checks.push(() => {
      // A fresh catalogue rebuilt from the image events, and the fleet as the events left it.
      const catalogue = new ImageCatalogue();
      for (const image of snapshotImages) applyImageInput(catalogue, image);
      expect(counted).toEqual(recomputeDrift(snapshotFleet, catalogue, at).canonical());
      const drifting = snapshotFleet
        .filter((a) => a.state !== 'terminated' && catalogue.classify(a, at).kind === 'drifting')
        .map((a) => a.assetId);
      expect(open).toEqual(new Set(drifting));
    });
  }
  return { engine, transitions, checks };
}

describe('the incremental drift engine', () => {
  it('always agrees with a full recompute of the same events', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { checks } = run(sequence);
        for (const check of checks) check();
      }),
      { numRuns: 500 },
    );
  });

  it('emits per asset an alternation of detected (then re-detected on change) and resolved', () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const { transitions } = run(sequence);
        const open = new Map<string, string>();
        for (const t of transitions) {
          const current = open.get(t.asset.assetId);
          if (t.kind === 'detected') {
            if (current !== undefined) expect(t.episode.driftId).toBe(current);
            open.set(t.asset.assetId, t.episode.driftId);
          } else {
            expect(current).toBe(t.episode.driftId);
            open.delete(t.asset.assetId);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('emits nothing for an event that changes nothing the drift depends on', () => {
    fc.assert(
      fc.property(steps, asset, (sequence, a) => {
        const { engine } = run(sequence);
        const now = Date.UTC(2030, 0, 1);
        engine.apply({ kind: 'asset-seen', asset: a }, now);
        expect(engine.apply({ kind: 'asset-seen', asset: a }, now)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('drift verdicts', () => {
  const T0 = Date.UTC(2026, 0, 1);
  const seen = (imageRef: string, state: AssetFacts['state'] = 'running'): DriftInput => ({
    kind: 'asset-seen',
    asset: { assetId: 'a', environment: 'prod', platform: 'aws', site: null, region: 'r', imageRef, state },
  });
  const publish = (v: string, lagVersions: number | null = null): DriftInput => ({
    kind: 'image-published',
    family: 'ubuntu',
    version: v,
    artifacts: [{ platform: 'aws', imageRef: ref('ubuntu', v) }],
    allowedLagVersions: lagVersions,
    at: T0,
  });
  const promote = (v: string, at: number): DriftInput => ({
    kind: 'image-promoted',
    family: 'ubuntu',
    version: v,
    toChannel: 'prod',
    allowedLagVersions: null,
    at,
  });

  it('detects an asset left behind by a promotion, with its drift age, and resolves it on upgrade', () => {
    const engine = new DriftEngine(() => 'd1');
    engine.apply(publish('v1'), T0);
    engine.apply(publish('v2'), T0);
    engine.apply(promote('v1', T0), T0);
    expect(engine.apply(seen(ref('ubuntu', 'v1')), T0)).toEqual([]);
    const [detected] = engine.apply(promote('v2', T0 + DAY), T0 + DAY);
    expect(detected).toMatchObject({
      kind: 'detected',
      episode: {
        driftId: 'd1',
        runningVersion: 'v1',
        expectedVersion: 'v2',
        cause: 'outdated',
        since: T0 + DAY,
      },
    });
    const [resolved] = engine.apply(seen(ref('ubuntu', 'v2')), T0 + 5 * DAY);
    expect(resolved).toMatchObject({
      kind: 'resolved',
      resolution: 'updated_out_of_band',
      currentVersion: 'v2',
    });
  });

  it('tolerates the family lag, but never a revoked version', () => {
    const engine = new DriftEngine(() => 'd1');
    engine.apply(publish('v1', 1), T0);
    engine.apply(publish('v2'), T0);
    engine.apply(promote('v1', T0), T0);
    engine.apply(seen(ref('ubuntu', 'v1')), T0);
    expect(engine.apply(promote('v2', T0), T0)).toEqual([]);
    const [detected] = engine
      .apply(
        { kind: 'image-revoked', versions: [{ family: 'ubuntu', version: 'v1' }], effectiveAt: T0 + DAY },
        T0,
      )
      .concat(engine.tick(T0 + DAY));
    expect(detected).toMatchObject({ kind: 'detected', episode: { cause: 'revoked', since: T0 + DAY } });
  });

  it('counts stopped assets apart and forgets terminated ones', () => {
    const engine = new DriftEngine(() => 'd1');
    engine.apply(publish('v1'), T0);
    engine.apply(promote('v1', T0), T0);
    engine.apply(seen(ref('ubuntu', 'v1'), 'stopped'), T0);
    expect(engine.counters.all()).toEqual([
      expect.objectContaining({ compliantStopped: 1, compliantRunning: 0 }),
    ]);
    engine.apply(seen(ref('ubuntu', 'v1'), 'terminated'), T0);
    expect(engine.counters.all()).toEqual([]);
    expect(engine.size).toBe(0);
  });
});
