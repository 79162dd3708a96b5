import type { AssetFacts, AssetPlatform, AssetVerdict } from './drift.types';

/** Counts of one report group: (environment, platform, site, family). Family is '' for unmanaged. */
export interface DriftGroupCounts {
  readonly environment: string;
  readonly platform: AssetPlatform;
  readonly site: string | null;
  readonly family: string;
  compliantRunning: number;
  driftingRunning: number;
  unmanagedRunning: number;
  compliantStopped: number;
  driftingStopped: number;
  unmanagedStopped: number;
}

export type CounterColumn = Exclude<keyof DriftGroupCounts, 'environment' | 'platform' | 'site' | 'family'>;

export const COUNTER_COLUMNS: readonly CounterColumn[] = [
  'compliantRunning',
  'driftingRunning',
  'unmanagedRunning',
  'compliantStopped',
  'driftingStopped',
  'unmanagedStopped',
];

export function groupKey(asset: AssetFacts, verdict: AssetVerdict): string {
  return `${asset.environment}\u0000${asset.platform}\u0000${asset.site ?? ''}\u0000${verdict.family ?? ''}`;
}

export function counterColumn(asset: AssetFacts, verdict: AssetVerdict): CounterColumn {
  const stopped = asset.state === 'stopped';
  switch (verdict.kind) {
    case 'compliant':
      return stopped ? 'compliantStopped' : 'compliantRunning';
    case 'drifting':
      return stopped ? 'driftingStopped' : 'driftingRunning';
    case 'unmanaged':
      return stopped ? 'unmanagedStopped' : 'unmanagedRunning';
  }
}

/**
 * The aggregate counters behind every drift report. Each tracked asset is counted in exactly one
 * column of one group, so moving an asset is two O(1) updates; groups that empty are dropped so two
 * counter sets holding the same fleet are equal.
 */
export class DriftCounters {
  private readonly groups = new Map<string, DriftGroupCounts>();

  add(asset: AssetFacts, verdict: AssetVerdict, delta: 1 | -1): void {
    const key = groupKey(asset, verdict);
    let group = this.groups.get(key);
    if (group === undefined) {
      group = {
        environment: asset.environment,
        platform: asset.platform,
        site: asset.site,
        family: verdict.family ?? '',
        compliantRunning: 0,
        driftingRunning: 0,
        unmanagedRunning: 0,
        compliantStopped: 0,
        driftingStopped: 0,
        unmanagedStopped: 0,
      };
      this.groups.set(key, group);
    }
    group[counterColumn(asset, verdict)] += delta;
    if (delta < 0 && COUNTER_COLUMNS.every((c) => group[c] === 0)) this.groups.delete(key);
  }

  /** Groups holding any count (a set of deltas can net a group to zero). */
  all(): DriftGroupCounts[] {
    return [...this.groups.values()]
      .filter((g) => COUNTER_COLUMNS.some((c) => g[c] !== 0))
      .map((g) => ({ ...g }));
  }

  /** Groups sorted by key, for comparing two counter sets. */
  canonical(): DriftGroupCounts[] {
    return [...this.groups.entries()]
      .filter(([, g]) => COUNTER_COLUMNS.some((c) => g[c] !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, g]) => ({ ...g }));
  }
}
