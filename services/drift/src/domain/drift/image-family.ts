import type { DriftCause } from './drift.types';

/** One version of a family, as far as compliance cares. Times are epoch ms. */
export interface ImageVersionState {
  readonly version: string;
  /** Publication order within the family: what "newer" means. */
  readonly seq: number;
  readonly publishedAt: number;
  /** When it first reached the prod channel. */
  readonly prodAt: number | null;
  /** From when it must no longer run. */
  readonly revokedFrom: number | null;
}

/** A family's state in a form that stores and reloads unchanged. */
export interface ImageFamilyState {
  readonly family: string;
  readonly allowedLagVersions: number;
  readonly currentProd: string | null;
  readonly versions: readonly ImageVersionState[];
}

/** What running a version of this family means at a given time. */
export type VersionStanding =
  | { readonly kind: 'no-baseline' }
  | { readonly kind: 'compliant'; readonly expectedVersion: string }
  | {
      readonly kind: 'drifting';
      readonly expectedVersion: string;
      readonly cause: DriftCause;
      readonly since: number;
    };

/**
 * A golden-image family: its versions in publication order, the version prod currently expects, and
 * the lag it tolerates. Standings are cached until the next change or the next scheduled revocation,
 * so classifying a million assets costs a map lookup each.
 */
export class ImageFamily {
  private readonly versions = new Map<string, ImageVersionState>();
  private currentProd: string | null;
  private allowedLag: number;
  private cache = new Map<string, VersionStanding>();
  /** The cache holds for evaluation times in [cacheFrom, cacheUntil). */
  private cacheFrom = Number.POSITIVE_INFINITY;
  private cacheUntil = Number.NEGATIVE_INFINITY;

  readonly name: string;

  constructor(state: ImageFamilyState) {
    this.name = state.family;
    for (const v of state.versions) this.versions.set(v.version, v);
    this.currentProd = state.currentProd;
    this.allowedLag = state.allowedLagVersions;
  }

  static empty(family: string): ImageFamily {
    return new ImageFamily({ family, allowedLagVersions: 0, currentProd: null, versions: [] });
  }

  state(): ImageFamilyState {
    return {
      family: this.name,
      allowedLagVersions: this.allowedLag,
      currentProd: this.currentProd,
      versions: [...this.versions.values()].sort((a, b) => a.seq - b.seq),
    };
  }

  has(version: string): boolean {
    return this.versions.has(version);
  }

  /** Registers a version; publishing one already known only updates the tolerated lag. */
  publish(version: string, at: number, allowedLagVersions: number | null): void {
    if (allowedLagVersions !== null) this.setLag(allowedLagVersions);
    if (this.versions.has(version)) return;
    this.ensure(version, at);
  }

  promote(version: string, toChannel: 'dev' | 'staging' | 'prod', at: number, lag: number | null): void {
    if (lag !== null) this.setLag(lag);
    const known = this.ensure(version, at);
    if (toChannel !== 'prod') return;
    if (known.prodAt === null) this.versions.set(version, { ...known, prodAt: at });
    this.currentProd = version;
    this.invalidate();
  }

  /** Revokes a version from `effectiveAt`; an earlier revocation of the same version stands. */
  revoke(version: string, effectiveAt: number): void {
    const known = this.ensure(version, effectiveAt);
    if (known.revokedFrom !== null && known.revokedFrom <= effectiveAt) return;
    this.versions.set(version, { ...known, revokedFrom: effectiveAt });
    this.invalidate();
  }

  /** The earliest revocation that takes effect after `now`, when one is scheduled. */
  nextRevocationAfter(now: number): number | null {
    let next: number | null = null;
    for (const v of this.versions.values()) {
      if (v.revokedFrom !== null && v.revokedFrom > now && (next === null || v.revokedFrom < next)) {
        next = v.revokedFrom;
      }
    }
    return next;
  }

  /** The standing of a version at `now`; unknown versions have no baseline to compare with. */
  standing(version: string, now: number): VersionStanding {
    if (now < this.cacheFrom || now >= this.cacheUntil) {
      this.cache = new Map();
      this.cacheFrom = now;
      this.cacheUntil = this.nextRevocationAfter(now) ?? Number.POSITIVE_INFINITY;
    }
    let standing = this.cache.get(version);
    if (standing === undefined) {
      standing = this.evaluate(version, now);
      this.cache.set(version, standing);
    }
    return standing;
  }

  private evaluate(version: string, now: number): VersionStanding {
    const expected = this.currentProd === null ? undefined : this.versions.get(this.currentProd);
    const running = this.versions.get(version);
    if (expected === undefined || running === undefined) return { kind: 'no-baseline' };
    const expectedVersion = expected.version;
    if (running.revokedFrom !== null && running.revokedFrom <= now) {
      return { kind: 'drifting', expectedVersion, cause: 'revoked', since: running.revokedFrom };
    }
    if (running.seq >= expected.seq) return { kind: 'compliant', expectedVersion };
    // Prod versions newer than the running one, up to the current: how far behind it is.
    let behind = 0;
    let supersededAt = Number.POSITIVE_INFINITY;
    for (const v of this.versions.values()) {
      if (v.prodAt !== null && v.seq > running.seq && v.seq <= expected.seq) {
        behind += 1;
        supersededAt = Math.min(supersededAt, v.prodAt);
      }
    }
    if (behind <= this.allowedLag) return { kind: 'compliant', expectedVersion };
    return { kind: 'drifting', expectedVersion, cause: 'outdated', since: supersededAt };
  }

  private ensure(version: string, at: number): ImageVersionState {
    const known = this.versions.get(version);
    if (known !== undefined) return known;
    const created: ImageVersionState = {
      version,
      seq: this.versions.size,
      publishedAt: at,
      prodAt: null,
      revokedFrom: null,
    };
    this.versions.set(version, created);
    this.invalidate();
    return created;
  }

  private setLag(lag: number): void {
    if (lag === this.allowedLag) return;
    this.allowedLag = lag;
    this.invalidate();
  }

  private invalidate(): void {
    this.cacheFrom = Number.POSITIVE_INFINITY;
    this.cacheUntil = Number.NEGATIVE_INFINITY;
  }
}
