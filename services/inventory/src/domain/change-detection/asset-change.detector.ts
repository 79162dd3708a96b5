import type { ObservedAsset, TrackedAsset } from '../asset/asset.entity';

/** One changed attribute, as `asset.updated` reports it. Tags are reported one key at a time. */
export interface FieldChange {
  readonly field: string;
  readonly from: string | null;
  readonly to: string | null;
}

export type Observation =
  | { readonly kind: 'new' }
  | { readonly kind: 'updated'; readonly changes: readonly FieldChange[] }
  | { readonly kind: 'unchanged' };

// Identity fields (platform, instance id) cannot change: a different value is a different asset.
const COMPARED_FIELDS = [
  'account',
  'region',
  'site',
  'environment',
  'project',
  'imageRef',
  'imageVersion',
  'state',
] as const;

/** Field-level differences between what inventory knew and what a scan saw, in a stable order. */
export function detectChanges(previous: ObservedAsset, current: ObservedAsset): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of COMPARED_FIELDS) {
    const from = previous[field];
    const to = current[field];
    if (from !== to) changes.push({ field, from, to });
  }
  const keys = new Set([...Object.keys(previous.tags), ...Object.keys(current.tags)]);
  for (const key of [...keys].sort()) {
    const from = Object.hasOwn(previous.tags, key) ? (previous.tags[key] ?? null) : null;
    const to = Object.hasOwn(current.tags, key) ? (current.tags[key] ?? null) : null;
    if (from !== to) changes.push({ field: `tags.${key}`, from, to });
  }
  return changes;
}

/** New (never seen, or seen again after removal), updated with its changes, or unchanged. */
export function classifyObservation(previous: TrackedAsset | undefined, current: ObservedAsset): Observation {
  if (previous?.removedAt !== null) return { kind: 'new' };
  const changes = detectChanges(previous, current);
  return changes.length > 0 ? { kind: 'updated', changes } : { kind: 'unchanged' };
}
