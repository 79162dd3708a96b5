import { performance } from 'node:perf_hooks';
import type { DriftGroupCounts } from '../../../../domain/drift/drift-counters';
import type { TrackedAsset } from '../../../../domain/drift/drift-engine';
import { advanceEpisode } from '../../../../domain/drift/drift-episode';
import type { DriftTransition } from '../../../../domain/drift/drift.types';
import { ImageCatalogue, versionVerdicts } from '../../../../domain/drift/image-catalogue';
import type { DriftStore } from '../../ports/drift-store.port';
import type { ReconcileDriftResult } from './reconcile-drift.result';

function groupKeyOf(g: DriftGroupCounts): string {
  return `${g.environment}\u0000${g.platform}\u0000${g.site ?? ''}\u0000${g.family}`;
}

function sameGroup(a: DriftGroupCounts | undefined, b: DriftGroupCounts | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.compliantRunning === b.compliantRunning &&
    a.driftingRunning === b.driftingRunning &&
    a.unmanagedRunning === b.unmanagedRunning &&
    a.compliantStopped === b.compliantStopped &&
    a.driftingStopped === b.driftingStopped &&
    a.unmanagedStopped === b.unmanagedStopped
  );
}

/**
 * Recomputes every verdict and every counter from the read model's facts, and repairs what diverged:
 * a lost update, a manual edit, a revocation whose time passed unseen. The domain judges each known
 * (family, version) once; the database joins every asset with those judgements through its image
 * reference, so a million assets never cross the wire, only the ones that diverge. Incremental
 * updates wait meanwhile.
 */
export class ReconcileDriftHandler {
  constructor(private readonly newId: () => string) {}

  async execute(
    store: DriftStore,
    now: number,
  ): Promise<{ result: ReconcileDriftResult; transitions: DriftTransition[] }> {
    await store.lockForReconcile();
    const started = performance.now();
    const catalogue = new ImageCatalogue();
    for (const state of await store.allFamilies()) catalogue.load(state);
    await store.stageVersionVerdicts(versionVerdicts(catalogue, now));
    const staged = performance.now();

    const transitions: DriftTransition[] = [];
    const repaired: TrackedAsset[] = [];
    for (const { asset, verdict } of await store.assetsDivergingFromStaged()) {
      const step = advanceEpisode(asset.episode, asset.facts, verdict, 'image', now, this.newId);
      if (step.transition !== null) transitions.push(step.transition);
      repaired.push({ facts: asset.facts, verdict, episode: step.episode });
    }
    const [expected, stored] = [await store.countersFromStaged(), await store.counters()];
    const computed = performance.now();

    const storedByKey = new Map(stored.map((g) => [groupKeyOf(g), g]));
    const expectedByKey = new Map(expected.map((g) => [groupKeyOf(g), g]));
    let repairedGroups = 0;
    for (const key of new Set([...storedByKey.keys(), ...expectedByKey.keys()])) {
      if (!sameGroup(storedByKey.get(key), expectedByKey.get(key))) repairedGroups += 1;
    }
    if (repaired.length > 0) await store.saveAssets(repaired);
    if (repairedGroups > 0) await store.replaceCounters(expected);
    else await store.dropEmptyCounters();
    return {
      result: {
        assets: expected.reduce(
          (n, g) =>
            n +
            g.compliantRunning +
            g.driftingRunning +
            g.unmanagedRunning +
            g.compliantStopped +
            g.driftingStopped +
            g.unmanagedStopped,
          0,
        ),
        repairedAssets: repaired.length,
        repairedGroups,
        loadMs: staged - started,
        computeMs: computed - staged,
      },
      transitions,
    };
  }
}
