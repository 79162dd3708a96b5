import { DriftCounters } from '../../domain/drift/drift-counters';
import { sameVerdict, type TrackedAsset } from '../../domain/drift/drift-engine';
import { advanceEpisode } from '../../domain/drift/drift-episode';
import type { DriftTransition, ImageCoordinates } from '../../domain/drift/drift.types';
import { classifyAsset, type ImageCatalogue } from '../../domain/drift/image-catalogue';
import type { DriftStore } from './ports/drift-store.port';

/** Where a stored asset's image resolves: its recorded family and version, or the catalogue's references. */
export function coordinatesOf(asset: TrackedAsset, catalogue: ImageCatalogue): ImageCoordinates | undefined {
  const { family, version } = asset.verdict;
  if (family !== null && version !== null) return { family, version };
  return catalogue.resolve(asset.facts);
}

/**
 * Re-judges stored assets after their family changed: writes only those whose verdict moved, with
 * their counter deltas, and returns the drift transitions owed.
 */
export async function rejudgeAssets(
  store: DriftStore,
  catalogue: ImageCatalogue,
  assets: readonly TrackedAsset[],
  now: number,
  newId: () => string,
): Promise<DriftTransition[]> {
  const transitions: DriftTransition[] = [];
  const changed: TrackedAsset[] = [];
  const deltas = new DriftCounters();
  for (const asset of assets) {
    const verdict = classifyAsset(coordinatesOf(asset, catalogue), (n) => catalogue.family(n), now);
    if (sameVerdict(verdict, asset.verdict)) continue;
    const step = advanceEpisode(asset.episode, asset.facts, verdict, 'image', now, newId);
    if (step.transition !== null) transitions.push(step.transition);
    changed.push({ facts: asset.facts, verdict, episode: step.episode });
    deltas.add(asset.facts, asset.verdict, -1);
    deltas.add(asset.facts, verdict, 1);
  }
  await store.saveAssets(changed);
  await store.addToCounters(deltas.all());
  return transitions;
}
