import { DriftCounters } from './drift-counters';
import { advanceEpisode, closeEpisodeOnRemoval } from './drift-episode';
import type { AssetFacts, AssetVerdict, DriftEpisode, DriftInput, DriftTransition } from './drift.types';
import { applyImageInput, ImageCatalogue, imageRefKey } from './image-catalogue';

/** An asset the engine tracks: its facts, its verdict as last counted, and its open drift episode. */
export interface TrackedAsset {
  readonly facts: AssetFacts;
  readonly verdict: AssetVerdict;
  readonly episode: DriftEpisode | null;
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}

/**
 * The incremental drift engine. An asset event costs O(1): one verdict, two counter updates, at most
 * one transition. An image event re-judges only the assets of the family it touches (each may owe a
 * drift event of its own), found through an index. Terminated and removed assets are not tracked.
 */
export class DriftEngine {
  readonly catalogue = new ImageCatalogue();
  readonly counters = new DriftCounters();
  private readonly assets = new Map<string, TrackedAsset>();
  private readonly byFamily = new Map<string, Set<string>>();
  /** Assets whose image reference no published version claims yet. */
  private readonly byUnknownRef = new Map<string, Set<string>>();
  /** Families with a revocation scheduled, and when it takes effect. */
  private readonly scheduled = new Map<string, number>();
  /** The earliest of the scheduled revocations: asset events before it skip the check. */
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(private readonly newId: () => string) {}

  tracked(): IterableIterator<TrackedAsset> {
    return this.assets.values();
  }

  get size(): number {
    return this.assets.size;
  }

  apply(input: DriftInput, now: number): DriftTransition[] {
    const transitions = this.applyDueRevocations(now);
    switch (input.kind) {
      case 'asset-seen':
        if (input.asset.state === 'terminated') this.untrack(input.asset.assetId, now, transitions);
        else this.track(input.asset, now, transitions);
        break;
      case 'asset-removed':
        this.untrack(input.assetId, now, transitions);
        break;
      case 'image-published':
      case 'image-promoted':
      case 'image-revoked': {
        const change = applyImageInput(this.catalogue, input);
        const ids: string[] = [];
        for (const family of change.families) {
          this.schedule(family, now);
          ids.push(...(this.byFamily.get(family) ?? []));
        }
        for (const ref of change.refs) ids.push(...(this.byUnknownRef.get(ref) ?? []));
        this.rejudge(ids, now, transitions);
        break;
      }
    }
    return transitions;
  }

  /** Brings verdicts up to date with revocations that took effect by `now`. */
  tick(now: number): DriftTransition[] {
    return this.applyDueRevocations(now);
  }

  private applyDueRevocations(now: number): DriftTransition[] {
    const transitions: DriftTransition[] = [];
    if (now < this.nextDue) return transitions;
    for (const [family, at] of [...this.scheduled]) {
      if (at > now) continue;
      this.schedule(family, now);
      this.rejudgeFamily(family, now, transitions);
    }
    return transitions;
  }

  private schedule(family: string, now: number): void {
    const next = this.catalogue.family(family)?.nextRevocationAfter(now) ?? null;
    if (next === null) this.scheduled.delete(family);
    else this.scheduled.set(family, next);
    this.nextDue = Math.min(Number.POSITIVE_INFINITY, ...this.scheduled.values());
  }

  private track(facts: AssetFacts, now: number, out: DriftTransition[]): void {
    const previous = this.assets.get(facts.assetId);
    if (previous !== undefined) this.unindex(previous);
    const verdict = this.catalogue.classify(facts, now);
    this.store(facts, verdict, previous?.episode ?? null, 'asset', now, out);
  }

  private untrack(assetId: string, now: number, out: DriftTransition[]): void {
    const previous = this.assets.get(assetId);
    if (previous === undefined) return;
    this.unindex(previous);
    this.assets.delete(assetId);
    const transition = closeEpisodeOnRemoval(previous.episode, previous.facts, now);
    if (transition !== null) out.push(transition);
  }

  private rejudgeFamily(family: string, now: number, out: DriftTransition[]): void {
    this.rejudge([...(this.byFamily.get(family) ?? [])], now, out);
  }

  private rejudge(assetIds: readonly string[], now: number, out: DriftTransition[]): void {
    for (const id of assetIds) {
      const previous = this.assets.get(id);
      if (previous === undefined) continue;
      const verdict = this.catalogue.classify(previous.facts, now);
      if (sameVerdict(verdict, previous.verdict)) continue;
      this.unindex(previous);
      this.store(previous.facts, verdict, previous.episode, 'image', now, out);
    }
  }

  private store(
    facts: AssetFacts,
    verdict: AssetVerdict,
    episode: DriftEpisode | null,
    trigger: 'asset' | 'image',
    now: number,
    out: DriftTransition[],
  ): void {
    const step = advanceEpisode(episode, facts, verdict, trigger, now, this.newId);
    if (step.transition !== null) out.push(step.transition);
    this.assets.set(facts.assetId, { facts, verdict, episode: step.episode });
    this.counters.add(facts, verdict, 1);
    if (verdict.family !== null) addTo(this.byFamily, verdict.family, facts.assetId);
    else if (facts.imageRef !== null) {
      addTo(this.byUnknownRef, imageRefKey(facts.platform, facts.imageRef), facts.assetId);
    }
  }

  private unindex(tracked: TrackedAsset): void {
    this.counters.add(tracked.facts, tracked.verdict, -1);
    const { facts, verdict } = tracked;
    if (verdict.family !== null) removeFrom(this.byFamily, verdict.family, facts.assetId);
    else if (facts.imageRef !== null) {
      removeFrom(this.byUnknownRef, imageRefKey(facts.platform, facts.imageRef), facts.assetId);
    }
  }
}

export function sameVerdict(a: AssetVerdict, b: AssetVerdict): boolean {
  if (a.kind !== b.kind || a.family !== b.family || a.version !== b.version) return false;
  if (a.kind === 'drifting' && b.kind === 'drifting') {
    return a.expectedVersion === b.expectedVersion && a.cause === b.cause && a.since === b.since;
  }
  return true;
}
