import type { AssetFacts, AssetPlatform, DriftInput } from '../domain/drift/drift.types';

/**
 * A seeded simulated fleet with its ground truth, shaped like the inventory's simulated connector
 * (platform and environment mix, version skew with a long tail, stopped and image-less assets,
 * churn) plus the golden-image side: fortnightly releases per family, promoted dev → staging → prod,
 * some revoked now or on a schedule, and a per-family allowed lag. The truth of each asset follows
 * from how it was generated, not from the engine's rules engine, so comparing both measures errors.
 */
export interface SimulatedDriftFleetOptions {
  readonly seed: number;
  readonly assets: number;
  readonly families: number;
  /** Prefix of family names, asset ids and environments, to keep runs apart in shared stores. */
  readonly prefix?: string;
}

export type TruthKind = 'compliant' | 'drifting' | 'unmanaged';

export interface AssetTruth {
  readonly kind: TruthKind;
  readonly cause?: 'outdated' | 'revoked';
  /** When its drift began (epoch ms). */
  readonly since?: number;
}

export interface SimulatedDriftFleet {
  /** Events in a delivery order: per family and per asset in order, interleaved across keys. */
  readonly events: readonly DriftInput[];
  /** Ground truth of every asset still in the fleet at `now`. */
  readonly truth: ReadonlyMap<string, AssetTruth>;
  readonly now: number;
  readonly familyNames: readonly string[];
}

const DAY = 86_400_000;
const RELEASES = 12;
/** The newest release is still in staging; the one before it is prod. */
const PROD = RELEASES - 2;
const T0 = Date.UTC(2026, 0, 5);
const NOW = T0 + (RELEASES - 1) * 14 * DAY + 5 * DAY;
const PLATFORMS: readonly (readonly [AssetPlatform, number])[] = [
  ['aws', 40],
  ['azure', 25],
  ['gcp', 20],
  ['vsphere', 15],
];
const ENVIRONMENTS: readonly (readonly [string, number])[] = [
  ['prod', 45],
  ['staging', 20],
  ['dev', 25],
  ['dr', 10],
];
const SITES: Readonly<Record<AssetPlatform, readonly string[]>> = {
  aws: ['us-east', 'eu-west', 'eu-central', 'ap-southeast'],
  azure: ['westeurope', 'northeurope', 'eastus'],
  gcp: ['europe-west1', 'us-central1', 'asia-southeast1'],
  vsphere: ['london', 'frankfurt', 'new-york'],
  simulated: ['sim'],
  file: ['file'],
};
/** Releases behind prod at deployment; -1 is a canary on the staging release. */
const SKEW: readonly (readonly [number, number])[] = [
  [-1, 2],
  [0, 55],
  [1, 25],
  [2, 10],
  [3, 5],
  [5, 3],
];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new RangeError(`no element ${i}`);
  return value;
}

function weighted<T>(table: readonly (readonly [T, number])[], u: number): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = u * total;
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  return at(table, table.length - 1)[0];
}

const versionOf = (k: number) => `2026.${String(k + 1).padStart(2, '0')}.0`;
const publishedAt = (k: number) => T0 + k * 14 * DAY;
const prodAt = (k: number) => publishedAt(k) + 7 * DAY;
const refOf = (family: string, platform: AssetPlatform, k: number) => `${platform}-img-${family}-${k}`;

function uuidOf(prefix: number, i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `${prefix.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

interface FamilyPlan {
  readonly name: string;
  readonly lag: number;
  /** Release revoked effective `revokedFrom`, if any. */
  readonly revoked: { readonly k: number; readonly from: number } | null;
}

export function simulateDriftFleet(options: SimulatedDriftFleetOptions): SimulatedDriftFleet {
  const random = mulberry32(options.seed);
  const prefix = options.prefix ?? '';
  const idPrefix = Math.floor(random() * 0xffffffff);
  const families: FamilyPlan[] = [];
  for (let i = 0; i < options.families; i += 1) {
    const revoked =
      i % 10 === 0
        ? { k: PROD - 3, from: NOW - 2 * DAY } // in force
        : i % 10 === 5
          ? { k: PROD - 2, from: NOW + 30 * DAY } // scheduled, not yet in force
          : null;
    families.push({ name: `${prefix}family-${i}`, lag: i % 3 === 0 ? 1 : 0, revoked });
  }

  const imageEvents: DriftInput[][] = families.map((f) => {
    const events: DriftInput[] = [];
    const timeline: { at: number; event: DriftInput }[] = [];
    for (let k = 0; k < RELEASES; k += 1) {
      const version = versionOf(k);
      timeline.push({
        at: publishedAt(k),
        event: {
          kind: 'image-published',
          family: f.name,
          version,
          artifacts: (['aws', 'azure', 'gcp', 'vsphere'] as const).map((p) => ({
            platform: p,
            imageRef: refOf(f.name, p, k),
          })),
          allowedLagVersions: f.lag,
          at: publishedAt(k),
        },
      });
      const promote = (toChannel: 'staging' | 'prod', at: number) =>
        timeline.push({
          at,
          event: { kind: 'image-promoted', family: f.name, version, toChannel, allowedLagVersions: null, at },
        });
      promote('staging', publishedAt(k) + 3 * DAY);
      if (k <= PROD) promote('prod', prodAt(k));
    }
    if (f.revoked !== null) {
      timeline.push({
        at: Math.min(f.revoked.from, NOW - 2 * DAY),
        event: {
          kind: 'image-revoked',
          versions: [{ family: f.name, version: versionOf(f.revoked.k) }],
          effectiveAt: f.revoked.from,
        },
      });
    }
    timeline.sort((a, b) => a.at - b.at);
    for (const t of timeline) events.push(t.event);
    return events;
  });

  const truthOf = (f: FamilyPlan, k: number | null): AssetTruth => {
    if (k === null) return { kind: 'unmanaged' };
    if (f.revoked !== null && f.revoked.k === k && f.revoked.from <= NOW) {
      return { kind: 'drifting', cause: 'revoked', since: f.revoked.from };
    }
    const behind = Math.max(0, PROD - k);
    if (behind <= f.lag) return { kind: 'compliant' };
    return { kind: 'drifting', cause: 'outdated', since: prodAt(k + 1) };
  };

  const assetEvents: DriftInput[][] = [];
  const truth = new Map<string, AssetTruth>();
  for (let i = 0; i < options.assets; i += 1) {
    const platform = weighted(PLATFORMS, random());
    const environment = `${prefix}${weighted(ENVIRONMENTS, random())}`;
    const sites = SITES[platform];
    const site = sites[Math.floor(random() * sites.length)] ?? null;
    const family = at(families, Math.floor(random() * families.length));
    const skew = weighted(SKEW, random());
    const image = random();
    let k: number | null = PROD - skew;
    let imageRef: string | null = refOf(family.name, platform, k);
    if (image < 0.01) {
      k = null;
      imageRef = null; // not determinable
    } else if (image < 0.02) {
      k = null;
      imageRef = `${platform}-custom-${i}`; // not a golden image
    }
    const facts: AssetFacts = {
      assetId: uuidOf(idPrefix, i),
      environment,
      platform,
      site,
      region: `${site ?? 'none'}-1`,
      imageRef,
      state: random() < 0.08 ? 'stopped' : 'running',
    };
    const events: DriftInput[] = [{ kind: 'asset-seen', asset: facts }];
    let current = facts;
    const churn = random();
    if (churn < 0.1 && k !== null) {
      // Rebuilt on the prod release.
      k = PROD;
      current = { ...current, imageRef: refOf(family.name, platform, PROD) };
      events.push({ kind: 'asset-seen', asset: current });
    } else if (churn < 0.12) {
      current = { ...current, state: current.state === 'stopped' ? 'running' : 'stopped' };
      events.push({ kind: 'asset-seen', asset: current });
    } else if (churn < 0.13) {
      events.push({ kind: 'asset-seen', asset: { ...current, state: 'terminated' } });
      current = { ...current, state: 'terminated' };
    } else if (churn < 0.14) {
      events.push({ kind: 'asset-removed', assetId: current.assetId });
      current = { ...current, state: 'terminated' };
    }
    if (random() < 0.01) events.push(at(events, events.length - 1)); // redelivered in order
    assetEvents.push(events);
    if (current.state !== 'terminated') truth.set(current.assetId, truthOf(family, k));
  }

  // Interleave the keyed streams: order is kept per family and per asset, not across them.
  const queues = [...imageEvents, ...assetEvents].filter((q) => q.length > 0).map((q) => ({ q, i: 0 }));
  const events: DriftInput[] = [];
  while (queues.length > 0) {
    const pick = Math.floor(random() * queues.length);
    const queue = at(queues, pick);
    events.push(at(queue.q, queue.i));
    queue.i += 1;
    if (queue.i === queue.q.length) {
      queues[pick] = at(queues, queues.length - 1);
      queues.pop();
    }
  }
  return { events, truth, now: NOW, familyNames: families.map((f) => f.name) };
}
