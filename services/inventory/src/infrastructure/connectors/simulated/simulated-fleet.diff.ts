import type { ObservedAsset } from '../../../domain/asset/asset.entity';
import { detectChanges } from '../../../domain/change-detection/asset-change.detector';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { SimulatedFleet } from './simulated-fleet.generator';

/** What a scan of epoch `to` must report after a scan of epoch `from`, computed from the generator alone. */
export interface EpochDiff {
  readonly discovered: ReadonlySet<string>;
  readonly updated: ReadonlySet<string>;
  readonly terminated: ReadonlySet<string>;
  /** Tracked after `from` and not listed at `to`: they start missing scans. */
  readonly vanished: ReadonlySet<string>;
  readonly unchanged: number;
}

function tracked(fleet: SimulatedFleet, epoch: number, organisation?: string): Map<string, ObservedAsset> {
  const assets = new Map<string, ObservedAsset>();
  for (const record of fleet.records(epoch)) {
    const result = normaliseAsset(record, organisation === undefined ? {} : { organisation });
    if (!result.ok) throw new Error(`simulated record does not normalise: ${result.problems.join('; ')}`);
    assets.set(result.asset.assetId, result.asset);
  }
  return assets;
}

/**
 * The expected outcome of scanning `to` right after `from` (epochs of the same fleet), with the asset
 * ids of the scanning connector's organisation (the default one when absent).
 */
export function diffEpochs(
  fleet: SimulatedFleet,
  from: number | null,
  to: number,
  organisation?: string,
): EpochDiff {
  const before = from === null ? new Map<string, ObservedAsset>() : tracked(fleet, from, organisation);
  for (const [id, asset] of before) if (asset.state === 'terminated') before.delete(id);
  const after = tracked(fleet, to, organisation);
  const discovered = new Set<string>();
  const updated = new Set<string>();
  const terminated = new Set<string>();
  const vanished = new Set<string>();
  let unchanged = 0;
  for (const [id, asset] of after) {
    const previous = before.get(id);
    if (asset.state === 'terminated') {
      if (previous) terminated.add(id);
    } else if (!previous) {
      discovered.add(id);
    } else if (detectChanges(previous, asset).length > 0) {
      updated.add(id);
    } else {
      unchanged += 1;
    }
  }
  for (const id of before.keys()) if (!after.has(id)) vanished.add(id);
  return { discovered, updated, terminated, vanished, unchanged };
}
