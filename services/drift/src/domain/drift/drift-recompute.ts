import { DriftCounters } from './drift-counters';
import type { AssetFacts } from './drift.types';
import type { ImageCatalogue } from './image-catalogue';

/** Counts a fleet from scratch: what the incremental engine must always agree with. */
export function recomputeDrift(
  assets: Iterable<AssetFacts>,
  catalogue: ImageCatalogue,
  now: number,
): DriftCounters {
  const counters = new DriftCounters();
  for (const asset of assets) {
    if (asset.state === 'terminated') continue;
    counters.add(asset, catalogue.classify(asset, now), 1);
  }
  return counters;
}
