/** Something that went wrong during a scan, as `scan.completed` reports it. Never carries secrets. */
export interface ScanProblem {
  /** Namespaced code, e.g. `CONNECTOR.THROTTLED` or `INVENTORY.INVALID_RECORD`. */
  readonly code: string;
  readonly message: string;
  readonly account?: string;
  readonly region?: string;
  readonly retriable: boolean;
}

export type ScanOutcome = 'succeeded' | 'partial' | 'failed';

/** A scan that ran to the end is partial when anything was left out; only a clean scan may decide removals. */
export function outcomeOf(ranToEnd: boolean, problems: readonly ScanProblem[]): ScanOutcome {
  if (!ranToEnd) return 'failed';
  return problems.length > 0 ? 'partial' : 'succeeded';
}
