import { DriftCounters } from '../../../../domain/drift/drift-counters';
import { advanceEpisode, closeEpisodeOnRemoval } from '../../../../domain/drift/drift-episode';
import type { AssetFacts, DriftTransition } from '../../../../domain/drift/drift.types';
import {
  applyImageInput,
  classifyAsset,
  ImageCatalogue,
  type ImageInput,
  imageRefKey,
} from '../../../../domain/drift/image-catalogue';
import { ImageFamily } from '../../../../domain/drift/image-family';
import { attributeResolution } from '../../../../domain/drift/remediation-target';
import { rejudgeAssets } from '../../drift-rejudge';
import type { DriftStore } from '../../ports/drift-store.port';
import type { ApplyDriftInputCommand } from './apply-drift-input.command';

/**
 * Applies one event to the stored drift model, incrementally: an asset event reads and writes one
 * asset and adds two counter deltas; an image event re-judges only the assets of its family.
 */
export class ApplyDriftInputHandler {
  constructor(private readonly newId: () => string) {}

  async execute(store: DriftStore, command: ApplyDriftInputCommand): Promise<DriftTransition[]> {
    const { input, now } = command;
    await store.lockForUpdate();
    switch (input.kind) {
      case 'asset-seen':
        return input.asset.state === 'terminated'
          ? this.removed(store, input.asset.assetId, now)
          : this.seen(store, input.asset, now);
      case 'asset-removed':
        return this.removed(store, input.assetId, now);
      case 'image-published':
      case 'image-promoted':
      case 'image-revoked':
        return this.image(store, input, now);
    }
  }

  /** Re-judges the families whose scheduled revocations took effect by `now`. */
  async applyDueRevocations(store: DriftStore, now: number): Promise<DriftTransition[]> {
    await store.lockForUpdate();
    const due = await store.familiesWithRevocationDue(now);
    if (due.length === 0) return [];
    const catalogue = await this.catalogueOf(store, due);
    await this.saveFamilies(store, catalogue, due, now);
    return rejudgeAssets(store, catalogue, await store.assetsOfFamilies(due), now, this.newId);
  }

  private async seen(store: DriftStore, asset: AssetFacts, now: number): Promise<DriftTransition[]> {
    const previous = await store.loadAsset(asset.assetId);
    const coordinates =
      asset.imageRef === null
        ? undefined
        : await store.resolveRef(imageRefKey(asset.platform, asset.imageRef));
    const [state] = coordinates === undefined ? [] : await store.loadFamilies([coordinates.family]);
    const family = state === undefined ? undefined : new ImageFamily(state);
    const verdict = classifyAsset(coordinates, (n) => (n === family?.name ? family : undefined), now);
    const step = advanceEpisode(previous?.episode ?? null, asset, verdict, 'asset', now, this.newId);
    const deltas = new DriftCounters();
    if (previous !== undefined) deltas.add(previous.facts, previous.verdict, -1);
    deltas.add(asset, verdict, 1);
    await store.saveAssets([{ facts: asset, verdict, episode: step.episode }]);
    await store.addToCounters(deltas.all());
    if (step.transition === null) return [];
    if (step.transition.kind !== 'resolved') return [step.transition];
    // Drift the asset's own update ended: a remediation plan that targeted this version gets the credit.
    const target = await store.remediationTarget(asset.assetId);
    const transition = attributeResolution(step.transition, target);
    if (transition.kind === 'resolved' && transition.remediationPlanId !== undefined) {
      await store.deleteRemediationTarget(asset.assetId);
    }
    return [transition];
  }

  private async removed(store: DriftStore, assetId: string, now: number): Promise<DriftTransition[]> {
    const previous = await store.loadAsset(assetId);
    if (previous === undefined) return [];
    const deltas = new DriftCounters();
    deltas.add(previous.facts, previous.verdict, -1);
    await store.deleteAssets([assetId]);
    await store.deleteRemediationTarget(assetId);
    await store.addToCounters(deltas.all());
    const transition = closeEpisodeOnRemoval(previous.episode, previous.facts, now);
    return transition === null ? [] : [transition];
  }

  private async image(store: DriftStore, input: ImageInput, now: number): Promise<DriftTransition[]> {
    const names =
      input.kind === 'image-revoked' ? [...new Set(input.versions.map((v) => v.family))] : [input.family];
    const catalogue = await this.catalogueOf(store, names);
    const change = applyImageInput(catalogue, input);
    if (input.kind === 'image-published') {
      const coordinates = { family: input.family, version: input.version };
      await store.saveRefs(change.refs.map((key) => ({ key, coordinates })));
    }
    await this.saveFamilies(store, catalogue, change.families, now);
    const assets = [
      ...(await store.assetsOfFamilies(change.families)),
      ...(await store.assetsWithUnknownRefs(change.refs)),
    ];
    return rejudgeAssets(store, catalogue, assets, now, this.newId);
  }

  private async catalogueOf(store: DriftStore, families: readonly string[]): Promise<ImageCatalogue> {
    const catalogue = new ImageCatalogue();
    for (const state of await store.loadFamilies(families)) catalogue.load(state);
    return catalogue;
  }

  private async saveFamilies(
    store: DriftStore,
    catalogue: ImageCatalogue,
    families: readonly string[],
    now: number,
  ): Promise<void> {
    await store.saveFamilies(
      families.map((name) => {
        const family = catalogue.familyOrNew(name);
        return { state: family.state(), nextRevocationAt: family.nextRevocationAfter(now) };
      }),
    );
  }
}
