/** What drift events must share to be planned together. */
export interface DriftBatchKey {
  /** Drift of different organisations never shares a batch, hence never a plan. */
  readonly organisation: string;
  readonly family: string;
  readonly toVersion: string;
  readonly environment: string;
}

/** One asset's drift in a batch; the same asset drifting again within the window merges into it. */
export interface DriftBatchMember {
  readonly assetId: string;
  readonly cause: 'outdated' | 'revoked';
  readonly driftAgeDays: number;
}

export interface FrozenDriftBatch {
  /** Sorted, de-duplicated assets the plan takes. */
  readonly planned: readonly string[];
  /** Held by another unfinished plan. */
  readonly locked: readonly string[];
  /** Resting after a completed plan. */
  readonly coolingDown: readonly string[];
}

/** The batch's drift as one: revoked if any member is, as old as its oldest member. */
export function mergedDrift(members: readonly DriftBatchMember[]): Omit<DriftBatchMember, 'assetId'> {
  return {
    cause: members.some((m) => m.cause === 'revoked') ? 'revoked' : 'outdated',
    driftAgeDays: members.reduce((oldest, m) => Math.max(oldest, m.driftAgeDays), 0),
  };
}

/**
 * Freezes a closing batch under storm control: an asset held by another unfinished plan or cooling
 * down is left out (and named), the rest is planned. Input order does not matter.
 */
export function freezeDriftBatch(
  members: readonly DriftBatchMember[],
  held: ReadonlySet<string>,
  cooling: ReadonlySet<string>,
): FrozenDriftBatch {
  const assets = [...new Set(members.map((m) => m.assetId))].sort();
  return {
    planned: assets.filter((a) => !held.has(a) && !cooling.has(a)),
    locked: assets.filter((a) => held.has(a)),
    coolingDown: assets.filter((a) => !held.has(a) && cooling.has(a)),
  };
}
