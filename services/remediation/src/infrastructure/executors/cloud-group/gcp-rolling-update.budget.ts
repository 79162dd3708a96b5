/** MIG rolling-update limits for a wave's concurrency. */
export interface RollingUpdateBudget {
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

/**
 * Surge by the wave's concurrency and take nothing down: new instances come up before old ones go.
 * A regional MIG needs a fixed surge of 0 or at least its zone count, so it surges at least that.
 */
export function rollingUpdateBudget(concurrency: number, zoneCount: number | null): RollingUpdateBudget {
  const surge = Math.max(1, Math.floor(concurrency));
  return { maxSurge: zoneCount === null ? surge : Math.max(surge, zoneCount), maxUnavailable: 0 };
}

/** `rf-<group>-<version>` within Compute's 63 lowercase characters, distinct per version. */
export function templateNameOf(groupName: string, version: string): string {
  const slug = version.toLowerCase().replace(/[^a-z0-9-]/gu, '-');
  const name = `rf-${groupName}-${slug}`.toLowerCase();
  if (name.length <= 63) return name;
  // Shortening keeps the version whole and the name unique to it.
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const suffix = `-${hash.toString(36)}`;
  return `${name.slice(0, 63 - suffix.length)}${suffix}`.replace(/-+$/u, '');
}
