import { testDatabaseUrl } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApplyDriftInputCommand } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.command';
import { ApplyDriftInputHandler } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import { ReconcileDriftHandler } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.handler';
import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import type { DriftTransition } from '../../../domain/drift/drift.types';
import { OrganisationDriftEngines } from '../../../domain/drift/organisation-drift-engines';
import { simulateDriftFleet } from '../../../testing/simulated-drift-fleet.fixture';
import { DRIFT_ENGINE_MIGRATIONS } from './drift-engine-migrations';
import { PostgresDriftStore } from './postgres-drift.store';

// A schema of its own: the drift test database is shared with the service's other suites.
const SCHEMA = `drift_it_${randomUUID().slice(0, 8)}`;

/** Counter groups sorted by key, as DriftCounters.canonical() orders them. */
function canonical(groups: readonly DriftGroupCounts[]): DriftGroupCounts[] {
  const key = (g: DriftGroupCounts) =>
    `${g.environment}\u0000${g.platform}\u0000${g.site ?? ''}\u0000${g.family}`;
  return [...groups].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((g) => ({ ...g }));
}

describe('the drift read model in PostgreSQL', () => {
  jest.setTimeout(300_000);
  let db: DataSource;
  // Two organisations with the same family names (family-0...) and image references, different fleets.
  const fleets = new Map([
    ['acme', simulateDriftFleet({ seed: 7, assets: 1_500, families: 12 })],
    ['globex', simulateDriftFleet({ seed: 8, assets: 600, families: 5 })],
  ]);
  const fleet = fleets.get('acme')!;
  const engines = new OrganisationDriftEngines(randomUUID);
  const engine = engines.of('acme');
  const apply = new ApplyDriftInputHandler(randomUUID);
  const reconcile = new ReconcileDriftHandler(randomUUID);
  const inTx = <T>(work: (store: PostgresDriftStore) => Promise<T>, organisation = 'acme') =>
    db.transaction((m) => work(new PostgresDriftStore(m, organisation)));
  /** Each asset's transitions in order; the order across the assets an image event re-judges is free. */
  const perAsset = (transitions: readonly DriftTransition[]) => {
    const out = new Map<string, string[]>();
    for (const t of transitions) {
      const list = out.get(t.asset.assetId) ?? [];
      list.push(
        `${t.kind}:${t.episode.expectedVersion}:${t.kind === 'resolved' ? t.resolution : t.episode.cause}`,
      );
      out.set(t.asset.assetId, list);
    }
    return out;
  };

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: testDatabaseUrl('drift'),
      extra: { max: 4, options: `-c search_path=${SCHEMA}` },
    });
    await db.initialize();
    await db.query(`CREATE SCHEMA ${SCHEMA}`);
    const runner = db.createQueryRunner();
    for (const Migration of DRIFT_ENGINE_MIGRATIONS) await new Migration().up(runner);
    await runner.release();
  });

  afterAll(async () => {
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await db.destroy();
  });

  it("matches each organisation's in-memory engine event by event, and each fleet's ground truth", async () => {
    const stored = new Map<string, DriftTransition[]>([...fleets.keys()].map((o) => [o, []]));
    const expected = new Map<string, DriftTransition[]>([...fleets.keys()].map((o) => [o, []]));
    // The two organisations' events interleaved, as they arrive on the shared topics.
    const queue = [...fleets].flatMap(([organisation, f]) =>
      f.events.map((event, i) => ({ organisation, event, order: i / f.events.length })),
    );
    queue.sort((a, b) => a.order - b.order);
    for (const { organisation, event } of queue) {
      const now = fleets.get(organisation)!.now;
      expected.get(organisation)!.push(...engines.apply(organisation, event, now));
      stored
        .get(organisation)!
        .push(...(await inTx((s) => apply.execute(s, new ApplyDriftInputCommand(event, now)), organisation)));
    }
    for (const [organisation, f] of fleets) {
      expect(stored.get(organisation)!.length).toBeGreaterThan(30);
      expect(perAsset(stored.get(organisation)!)).toEqual(perAsset(expected.get(organisation)!));
      expect(canonical(await inTx((s) => s.counters(), organisation))).toEqual(
        engines.of(organisation).counters.canonical(),
      );

      const verdicts = await db.query<{ asset_id: string; verdict: string }[]>(
        'SELECT asset_id, verdict FROM drift_assets WHERE organisation = $1',
        [organisation],
      );
      expect(verdicts).toHaveLength(f.truth.size);
      let compliant = 0;
      let falsePositives = 0;
      let misjudged = 0;
      for (const { asset_id, verdict } of verdicts) {
        const truth = f.truth.get(asset_id);
        if (truth?.kind === 'compliant') compliant += 1;
        if (truth?.kind === 'compliant' && verdict === 'drifting') falsePositives += 1;
        if (truth?.kind !== verdict) misjudged += 1;
      }
      expect(compliant).toBeGreaterThan(f.truth.size / 2);
      expect(falsePositives / compliant).toBeLessThan(0.01);
      expect(misjudged).toBe(0);
    }
  });

  it("judges an asset against its own organisation's image references only", async () => {
    // A reference only acme's family-9 knows, run by an asset of globex with an acme asset's id.
    const [acmeAsset] = await db.query<{ asset_id: string; image_ref: string; verdict: string }[]>(
      `SELECT asset_id, image_ref, verdict FROM drift_assets
        WHERE organisation = 'acme' AND family = 'family-9' AND platform = 'aws' ORDER BY asset_id LIMIT 1`,
    );
    const transitions = await inTx(
      (s) =>
        apply.execute(
          s,
          new ApplyDriftInputCommand(
            {
              kind: 'asset-seen',
              asset: {
                assetId: acmeAsset!.asset_id,
                environment: 'prod',
                platform: 'aws',
                site: null,
                region: 'eu-west-1',
                imageRef: acmeAsset!.image_ref,
                state: 'running',
              },
            },
            fleet.now,
          ),
        ),
      'globex',
    );
    expect(transitions).toEqual([]);
    const rows = await db.query<{ organisation: string; verdict: string; family: string | null }[]>(
      `SELECT organisation, verdict, family FROM drift_assets WHERE asset_id = $1 ORDER BY organisation`,
      [acmeAsset!.asset_id],
    );
    expect(rows).toEqual([
      { organisation: 'acme', verdict: acmeAsset!.verdict, family: 'family-9' },
      { organisation: 'globex', verdict: 'unmanaged', family: null },
    ]);
    await inTx(
      (s) =>
        apply.execute(
          s,
          new ApplyDriftInputCommand({ kind: 'asset-removed', assetId: acmeAsset!.asset_id }, fleet.now),
        ),
      'globex',
    );
    expect(canonical(await inTx((s) => s.counters()))).toEqual(engine.counters.canonical());
  });

  it('finds nothing to repair after incremental updates, and repairs what was tampered with', async () => {
    for (const [organisation, f] of fleets) {
      const clean = await inTx((s) => reconcile.execute(s, f.now), organisation);
      expect(clean.result).toMatchObject({ repairedAssets: 0, repairedGroups: 0, assets: f.truth.size });
    }

    const [victim] = await db.query<{ asset_id: string }[]>(
      `SELECT asset_id FROM drift_assets WHERE organisation = 'acme' AND verdict = 'drifting' ORDER BY asset_id LIMIT 1`,
    );
    await db.query(
      `UPDATE drift_assets SET verdict = 'compliant', expected_version = NULL, cause = NULL, since = NULL,
              drift_id = NULL, drift_opened_at = NULL WHERE organisation = 'acme' AND asset_id = $1`,
      [victim!.asset_id],
    );
    await db.query(
      `UPDATE drift_counters SET compliant_running = compliant_running + 3 WHERE organisation = 'acme'`,
    );
    const repair = await inTx((s) => reconcile.execute(s, fleet.now));
    expect(repair.result.repairedAssets).toBe(1);
    expect(repair.result.repairedGroups).toBeGreaterThan(0);
    expect(repair.transitions.map((t) => [t.kind, t.asset.assetId])).toEqual([
      ['detected', victim!.asset_id],
    ]);
    expect(canonical(await inTx((s) => s.counters()))).toEqual(engine.counters.canonical());
    // globex's reconcile sees nothing of acme's tampering, and acme's repair left globex as it was.
    const other = await inTx((s) => reconcile.execute(s, fleets.get('globex')!.now), 'globex');
    expect(other.result).toMatchObject({ repairedAssets: 0, repairedGroups: 0 });
    expect(canonical(await inTx((s) => s.counters(), 'globex'))).toEqual(
      engines.of('globex').counters.canonical(),
    );
  });
});
