import fc from 'fast-check';
import { DriftEngine } from './drift-engine';
import { recomputeDrift } from './drift-recompute';
import type { AssetFacts, DriftInput, DriftTransition } from './drift.types';
import { applyImageInput, ImageCatalogue, type ImageInput } from './image-catalogue';
import { OrganisationDriftEngines } from './organisation-drift-engines';

const DAY = 86_400_000;
const FAMILIES = ['ubuntu', 'rhel'];
const VERSIONS = ['v0', 'v1', 'v2', 'v3', 'v4'];
const ASSETS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
/** Two organisations with the same family names, asset ids and image references: nothing may cross. */
const ORGANISATIONS = ['acme', 'globex'];
const ref = (family: string, version: string) => `ami-${family}-${version}`;

const family = fc.constantFrom(...FAMILIES);
const version = fc.constantFrom(...VERSIONS);
const lag = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });

type Step = { readonly dt: number; readonly organisation: string; readonly input: DriftInput };

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

const steps = fc.array(
  fc.record({
    dt: fc.integer({ min: 0, max: 2 * DAY }),
    organisation: fc.constantFrom(...ORGANISATIONS),
    input,
  }),
  { maxLength: 80 },
);

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
  const engines = new OrganisationDriftEngines(() => `drift-${++n}`);
  const images = new Map<string, ImageInput[]>(ORGANISATIONS.map((o) => [o, []]));
  const fleets = new Map<string, Map<string, AssetFacts>>(ORGANISATIONS.map((o) => [o, new Map()]));
  const transitions: (DriftTransition & { readonly organisation: string })[] = [];
  let now = Date.UTC(2026, 0, 1);
  const checks: (() => void)[] = [];
  for (const step of sequence) {
    now += step.dt;
    const { organisation } = step;
    const event = absolute(step, now);
    // Every organisation's clock moves on: a revocation of one falls due whatever the other receives.
    for (const [o, due] of engines.tick(now)) {
      transitions.push(...due.map((t) => ({ ...t, organisation: o })));
    }
    transitions.push(...engines.apply(organisation, event, now).map((t) => ({ ...t, organisation })));
    const fleet = fleets.get(organisation)!;
    if (event.kind === 'asset-seen') fleet.set(event.asset.assetId, event.asset);
    else if (event.kind === 'asset-removed') fleet.delete(event.assetId);
    else images.get(organisation)!.push(event);
    const at = now;
    for (const o of ORGANISATIONS) {
      const engine = engines.of(o);
      const snapshotFleet = [...fleets.get(o)!.values()];
      const snapshotImages = [...images.get(o)!];
      const counted = engine.counters.canonical();
      const open = new Set(
        [...engine.tracked()].filter((t) => t.episode !== null).map((t) => t.facts.assetId),
      );
      checks.push(() => {
        // A fresh catalogue rebuilt from the organisation's image events, and its fleet as they left it.
        const catalogue = new ImageCatalogue();
        for (const image of snapshotImages) applyImageInput(catalogue, image);
        expect(counted).toEqual(recomputeDrift(snapshotFleet, catalogue, at).canonical());
        const drifting = snapshotFleet
          .filter((a) => a.state !== 'terminated' && catalogue.classify(a, at).kind === 'drifting')
          .map((a) => a.assetId);
        expect(open).toEqual(new Set(drifting));
      });
    }
  }
  return { engines, transitions, checks };
}

describe('the incremental drift engine', () => {
  it("always agrees, organisation by organisation, with a full recompute of that organisation's events", () => {
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
          const key = `${t.organisation}/${t.asset.assetId}`;
          const current = open.get(key);
          if (t.kind === 'detected') {
            if (current !== undefined) expect(t.episode.driftId).toBe(current);
            open.set(key, t.episode.driftId);
          } else {
            expect(current).toBe(t.episode.driftId);
            open.delete(key);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('emits nothing for an event that changes nothing the drift depends on', () => {
    fc.assert(
      fc.property(steps, asset, (sequence, a) => {
        const { engines } = run(sequence);
        const now = Date.UTC(2030, 0, 1);
        engines.apply('acme', { kind: 'asset-seen', asset: a }, now);
        expect(engines.apply('acme', { kind: 'asset-seen', asset: a }, now)).toEqual([]);
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

  it("judges an asset against its own organisation's family of the same name, never another's", () => {
    const engines = new OrganisationDriftEngines(() => 'd1');
    engines.apply('acme', publish('v1'), T0);
    engines.apply('acme', publish('v2'), T0);
    engines.apply('acme', promote('v2', T0), T0);
    engines.apply('globex', publish('v1'), T0);
    engines.apply('globex', promote('v1', T0), T0);
    // The same image reference: behind in acme (prod is v2), current in globex (prod is v1).
    expect(engines.apply('acme', seen(ref('ubuntu', 'v1')), T0)).toEqual([
      expect.objectContaining({
        kind: 'detected',
        episode: expect.objectContaining({ expectedVersion: 'v2' }) as unknown,
      }),
    ]);
    expect(engines.apply('globex', seen(ref('ubuntu', 'v1')), T0)).toEqual([]);
    expect(engines.of('globex').counters.all()).toEqual([
      expect.objectContaining({ compliantRunning: 1, driftingRunning: 0 }),
    ]);
    // A family known only in acme leaves a globex asset on its image unmanaged.
    engines.apply(
      'acme',
      {
        kind: 'image-published',
        family: 'rhel',
        version: 'v1',
        artifacts: [{ platform: 'aws', imageRef: 'ami-rhel' }],
        allowedLagVersions: null,
        at: T0,
      },
      T0,
    );
    engines.apply(
      'acme',
      {
        kind: 'image-promoted',
        family: 'rhel',
        version: 'v1',
        toChannel: 'prod',
        allowedLagVersions: null,
        at: T0,
      },
      T0,
    );
    engines.apply(
      'globex',
      {
        kind: 'asset-seen',
        asset: {
          assetId: 'b',
          environment: 'prod',
          platform: 'aws',
          site: null,
          region: 'r',
          imageRef: 'ami-rhel',
          state: 'running',
        },
      },
      T0,
    );
    expect(engines.of('globex').counters.all()).toContainEqual(
      expect.objectContaining({ family: '', unmanagedRunning: 1 }),
    );
  });
});
