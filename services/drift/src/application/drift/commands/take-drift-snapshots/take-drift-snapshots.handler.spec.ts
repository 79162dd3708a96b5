import type { DriftGroupCounts } from '../../../../domain/drift/drift-counters';
import type { DriftReadModel, DriftSnapshotRecord } from '../../ports/drift-read-model.port';
import { SNAPSHOT_EVERY_MS, TakeDriftSnapshotsHandler } from './take-drift-snapshots.handler';

const HOUR = SNAPSHOT_EVERY_MS;

/** The read model as the snapshot handler uses it, over an in-memory snapshot list of every organisation. */
function model(groups: (organisation: string) => DriftGroupCounts[]) {
  const saved: DriftSnapshotRecord[] = [];
  const readModel: Pick<
    DriftReadModel,
    'counters' | 'latestSnapshots' | 'saveSnapshots' | 'deleteSnapshotsBefore'
  > = {
    counters: (organisation) => Promise.resolve(groups(organisation)),
    latestSnapshots: (organisation) => {
      const latest = new Map<string, DriftSnapshotRecord>();
      for (const s of saved) if (s.organisation === organisation) latest.set(s.scopeId, s);
      return Promise.resolve(latest);
    },
    saveSnapshots: (s) => {
      saved.push(...s);
      return Promise.resolve();
    },
    deleteSnapshotsBefore: (time) => {
      const before = saved.length;
      saved.splice(0, saved.length, ...saved.filter((s) => s.takenAt >= time));
      return Promise.resolve(before - saved.length);
    },
  };
  return { readModel: readModel as DriftReadModel, saved };
}

const group = (compliantRunning: number, driftingRunning: number): DriftGroupCounts => ({
  environment: 'prod',
  platform: 'vsphere',
  site: 'london',
  family: 'rhel',
  compliantRunning,
  driftingRunning,
  unmanagedRunning: 0,
  compliantStopped: 0,
  driftingStopped: 0,
  unmanagedStopped: 0,
});

describe('TakeDriftSnapshotsHandler', () => {
  it('snapshots every scope on change and hourly, and drops snapshots past retention', async () => {
    let counts = group(8, 2);
    const { readModel, saved } = model((organisation) => (organisation === 'acme' ? [counts] : []));
    let n = 0;
    const handler = new TakeDriftSnapshotsHandler(() => `s-${++n}`, 24 * HOUR);
    const t0 = Date.UTC(2026, 0, 1);

    const first = await handler.execute(readModel, 'acme', t0);
    expect(first.map((s) => s.scopeId).sort()).toEqual([
      'all',
      'environment:prod',
      'environment:prod/platform:vsphere',
      'environment:prod/platform:vsphere/site:london',
    ]);
    expect(first[0]).toMatchObject({
      organisation: 'acme',
      total: 10,
      compliant: 8,
      outdated: 2,
      coveragePct: 80,
      rag: 'amber',
    });
    // Another organisation's fleet is its own: empty, it has only the fleet scope, at zero.
    expect(await handler.execute(readModel, 'globex', t0)).toEqual([
      expect.objectContaining({ organisation: 'globex', scopeId: 'all', total: 0, coveragePct: 100 }),
    ]);

    expect(await handler.execute(readModel, 'acme', t0 + 60_000)).toEqual([]);
    counts = group(10, 0);
    const changed = await handler.execute(readModel, 'acme', t0 + 120_000);
    expect(changed).toHaveLength(4);
    expect(changed[0]).toMatchObject({ coveragePct: 100, rag: 'green' });
    expect(await handler.execute(readModel, 'globex', t0 + 120_000)).toEqual([]);
    expect(await handler.execute(readModel, 'acme', t0 + HOUR + 120_000)).toHaveLength(4);

    await handler.execute(readModel, 'acme', t0 + 25 * HOUR + 120_000);
    await handler.prune(readModel, t0 + 25 * HOUR + 120_000);
    expect(saved.every((s) => s.takenAt >= t0 + HOUR + 120_000)).toBe(true);
  });
});
