import { testDatabaseUrl } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ApplyDriftInputCommand } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.command';
import { ApplyDriftInputHandler } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import { ReconcileDriftHandler } from '../../../application/drift/commands/reconcile-drift/reconcile-drift.handler';
import type { DriftGroupCounts } from '../../../domain/drift/drift-counters';
import { DriftEngine } from '../../../domain/drift/drift-engine';
import type { DriftTransition } from '../../../domain/drift/drift.types';
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
  const fleet = simulateDriftFleet({ seed: 7, assets: 1_500, families: 12 });
  const engine = new DriftEngine(randomUUID);
  const apply = new ApplyDriftInputHandler(randomUUID);
  const reconcile = new ReconcileDriftHandler(randomUUID);
  const inTx = <T>(work: (store: PostgresDriftStore) => Promise<T>) =>
    db.transaction((m) => work(new PostgresDriftStore(m)));
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

  it('matches the in-memory engine event by event, and the fleet ground truth', async () => {
    const stored: DriftTransition[] = [];
    const expected: DriftTransition[] = [];
    for (const event of fleet.events) {
      expected.push(...engine.apply(event, fleet.now));
      stored.push(...(await inTx((s) => apply.execute(s, new ApplyDriftInputCommand(event, fleet.now)))));
    }
    expect(stored.length).toBeGreaterThan(100);
    expect(perAsset(stored)).toEqual(perAsset(expected));
    expect(canonical(await inTx((s) => s.counters()))).toEqual(engine.counters.canonical());

    const verdicts = await db.query<{ asset_id: string; verdict: string }[]>(
      'SELECT asset_id, verdict FROM drift_assets',
    );
    expect(verdicts).toHaveLength(fleet.truth.size);
    let compliant = 0;
    let falsePositives = 0;
    let misjudged = 0;
    for (const { asset_id, verdict } of verdicts) {
      const truth = fleet.truth.get(asset_id);
      if (truth?.kind === 'compliant') compliant += 1;
      if (truth?.kind === 'compliant' && verdict === 'drifting') falsePositives += 1;
      if (truth?.kind !== verdict) misjudged += 1;
    }
    expect(compliant).toBeGreaterThan(800);
    expect(falsePositives / compliant).toBeLessThan(0.01);
    expect(misjudged).toBe(0);
  });

  it('finds nothing to repair after incremental updates, and repairs what was tampered with', async () => {
    const clean = await inTx((s) => reconcile.execute(s, fleet.now));
    expect(clean.result).toMatchObject({ repairedAssets: 0, repairedGroups: 0, assets: fleet.truth.size });

    const [victim] = await db.query<{ asset_id: string }[]>(
      `SELECT asset_id FROM drift_assets WHERE verdict = 'drifting' ORDER BY asset_id LIMIT 1`,
    );
    await db.query(
      `UPDATE drift_assets SET verdict = 'compliant', expected_version = NULL, cause = NULL, since = NULL,
              drift_id = NULL, drift_opened_at = NULL WHERE asset_id = $1`,
      [victim!.asset_id],
    );
    await db.query(`UPDATE drift_counters SET compliant_running = compliant_running + 3`);
    const repair = await inTx((s) => reconcile.execute(s, fleet.now));
    expect(repair.result.repairedAssets).toBe(1);
    expect(repair.result.repairedGroups).toBeGreaterThan(0);
    expect(repair.transitions.map((t) => [t.kind, t.asset.assetId])).toEqual([
      ['detected', victim!.asset_id],
    ]);
    expect(canonical(await inTx((s) => s.counters()))).toEqual(engine.counters.canonical());
  });
});
