import type { AssetFacts, AssetVerdict, DriftEpisode, DriftTransition } from './drift.types';

export interface EpisodeStep {
  readonly episode: DriftEpisode | null;
  readonly transition: DriftTransition | null;
}

/**
 * Moves an asset's drift episode to match its new verdict, with at most one transition: drift that
 * starts, or whose cause, running or expected version changes, is detected; drift that ends is
 * resolved. Anything else (a power flip, a retag, a replayed event) changes nothing outside.
 */
export function advanceEpisode(
  previous: DriftEpisode | null,
  asset: AssetFacts,
  verdict: AssetVerdict,
  trigger: 'asset' | 'image',
  at: number,
  newId: () => string,
): EpisodeStep {
  if (verdict.kind === 'drifting') {
    const next: DriftEpisode = {
      driftId: previous?.driftId ?? newId(),
      family: verdict.family,
      runningVersion: verdict.version,
      expectedVersion: verdict.expectedVersion,
      cause: verdict.cause,
      since: verdict.since,
      openedAt: previous?.openedAt ?? at,
    };
    const changed =
      previous === null ||
      previous.family !== next.family ||
      previous.runningVersion !== next.runningVersion ||
      previous.expectedVersion !== next.expectedVersion ||
      previous.cause !== next.cause;
    return { episode: next, transition: changed ? { kind: 'detected', asset, episode: next, at } : null };
  }
  if (previous === null) return { episode: null, transition: null };
  return {
    episode: null,
    transition: {
      kind: 'resolved',
      asset,
      episode: previous,
      resolution: trigger === 'asset' ? 'updated_out_of_band' : 'baseline_changed',
      currentVersion: verdict.version,
      at,
    },
  };
}

/** The episode of an asset that left the fleet ends with it. */
export function closeEpisodeOnRemoval(
  previous: DriftEpisode | null,
  asset: AssetFacts,
  at: number,
): DriftTransition | null {
  if (previous === null) return null;
  return {
    kind: 'resolved',
    asset,
    episode: previous,
    resolution: 'asset_removed',
    currentVersion: null,
    at,
  };
}
