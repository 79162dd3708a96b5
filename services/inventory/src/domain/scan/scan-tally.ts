/** What a scan did, by outcome. The first four are the `scan.completed` counts. */
export interface ScanCounts {
  readonly discovered: number;
  readonly updated: number;
  readonly removed: number;
  readonly unchanged: number;
  /** Records of an asset already seen earlier in the same scan; the first one wins. */
  readonly duplicates: number;
  /** Records normalisation refused. */
  readonly rejected: number;
  /** Terminated assets inventory was not tracking, so nothing to remove. */
  readonly ignored: number;
}

export const NO_COUNTS: ScanCounts = {
  discovered: 0,
  updated: 0,
  removed: 0,
  unchanged: 0,
  duplicates: 0,
  rejected: 0,
  ignored: 0,
};

export function addCounts(a: ScanCounts, b: Partial<ScanCounts>): ScanCounts {
  return {
    discovered: a.discovered + (b.discovered ?? 0),
    updated: a.updated + (b.updated ?? 0),
    removed: a.removed + (b.removed ?? 0),
    unchanged: a.unchanged + (b.unchanged ?? 0),
    duplicates: a.duplicates + (b.duplicates ?? 0),
    rejected: a.rejected + (b.rejected ?? 0),
    ignored: a.ignored + (b.ignored ?? 0),
  };
}
