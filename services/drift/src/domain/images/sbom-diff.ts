import type { SbomPackage } from './spdx-document';

export interface PackageChange {
  readonly name: string;
  readonly purl: string | null;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

export interface PackageEntry {
  readonly name: string;
  readonly purl: string | null;
  readonly versions: readonly string[];
}

export interface SbomDiff {
  readonly added: readonly PackageEntry[];
  readonly removed: readonly PackageEntry[];
  readonly changed: readonly PackageChange[];
  readonly unchanged: number;
}

/** A package keeps its identity across versions by its versionless purl, else by its name. */
function identity(pkg: SbomPackage): string {
  return pkg.purl ?? `name:${pkg.name}`;
}

function index(packages: readonly SbomPackage[]): Map<string, PackageEntry> {
  const map = new Map<string, { name: string; purl: string | null; versions: Set<string> }>();
  for (const pkg of packages) {
    const key = identity(pkg);
    const entry = map.get(key) ?? { name: pkg.name, purl: pkg.purl, versions: new Set<string>() };
    entry.versions.add(pkg.version ?? '');
    map.set(key, entry);
  }
  return new Map(
    [...map].map(([key, e]) => [key, { name: e.name, purl: e.purl, versions: [...e.versions].sort() }]),
  );
}

const byName = (a: { name: string; purl: string | null }, b: { name: string; purl: string | null }) =>
  a.name.localeCompare(b.name) || (a.purl ?? '').localeCompare(b.purl ?? '');

/**
 * What changed from `base` to `target`: packages added, removed, and those whose set of versions
 * changed (a package may be present in several versions). Results are sorted by name.
 */
export function diffSboms(base: readonly SbomPackage[], target: readonly SbomPackage[]): SbomDiff {
  const before = index(base);
  const after = index(target);
  const added: PackageEntry[] = [];
  const removed: PackageEntry[] = [];
  const changed: PackageChange[] = [];
  let unchanged = 0;
  for (const [key, entry] of after) {
    const old = before.get(key);
    if (!old) added.push(entry);
    else if (old.versions.join('\n') !== entry.versions.join('\n')) {
      changed.push({ name: entry.name, purl: entry.purl, from: old.versions, to: entry.versions });
    } else unchanged += 1;
  }
  for (const [key, entry] of before) if (!after.has(key)) removed.push(entry);
  return {
    added: added.sort(byName),
    removed: removed.sort(byName),
    changed: changed.sort(byName),
    unchanged,
  };
}
