import type { AssetFacts, AssetPlatform, AssetVerdict, DriftInput, ImageCoordinates } from './drift.types';
import { ImageFamily, type ImageFamilyState } from './image-family';

/** The key of a provider image reference: the same id can mean different images on two platforms. */
export function imageRefKey(platform: AssetPlatform, imageRef: string): string {
  return `${platform}|${imageRef}`;
}

/** Golden-image families and the provider references that resolve to their versions. */
export class ImageCatalogue {
  private readonly families = new Map<string, ImageFamily>();
  private readonly refs = new Map<string, ImageCoordinates>();
  /** The same references by platform, then image reference: resolving builds no key string. */
  private readonly byPlatform = new Map<string, Map<string, ImageCoordinates>>();

  family(name: string): ImageFamily | undefined {
    return this.families.get(name);
  }

  familyOrNew(name: string): ImageFamily {
    let family = this.families.get(name);
    if (family === undefined) {
      family = ImageFamily.empty(name);
      this.families.set(name, family);
    }
    return family;
  }

  load(state: ImageFamilyState): void {
    this.families.set(state.family, new ImageFamily(state));
  }

  allFamilies(): IterableIterator<ImageFamily> {
    return this.families.values();
  }

  addRef(key: string, coordinates: ImageCoordinates): void {
    this.refs.set(key, coordinates);
    const split = key.indexOf('|');
    const platform = key.slice(0, split);
    let refs = this.byPlatform.get(platform);
    if (refs === undefined) {
      refs = new Map();
      this.byPlatform.set(platform, refs);
    }
    refs.set(key.slice(split + 1), coordinates);
  }

  allRefs(): IterableIterator<[string, ImageCoordinates]> {
    return this.refs.entries();
  }

  resolve(asset: Pick<AssetFacts, 'platform' | 'imageRef'>): ImageCoordinates | undefined {
    return asset.imageRef === null ? undefined : this.byPlatform.get(asset.platform)?.get(asset.imageRef);
  }

  classify(asset: AssetFacts, now: number): AssetVerdict {
    return classifyAsset(this.resolve(asset), (name) => this.families.get(name), now);
  }
}

/** The verdict for an asset whose image resolved to `coordinates` (or to nothing). */
export function classifyAsset(
  coordinates: ImageCoordinates | undefined,
  familyOf: (name: string) => ImageFamily | undefined,
  now: number,
): AssetVerdict {
  if (coordinates === undefined) return { kind: 'unmanaged', family: null, version: null };
  const { family, version } = coordinates;
  const standing = familyOf(family)?.standing(version, now) ?? { kind: 'no-baseline' as const };
  switch (standing.kind) {
    case 'no-baseline':
      return { kind: 'unmanaged', family, version };
    case 'compliant':
      return { kind: 'compliant', family, version };
    case 'drifting':
      return {
        kind: 'drifting',
        family,
        version,
        expectedVersion: standing.expectedVersion,
        cause: standing.cause,
        since: standing.since,
      };
  }
}

export type ImageInput = Extract<
  DriftInput,
  { kind: 'image-published' | 'image-promoted' | 'image-revoked' }
>;

/** What an image input changed: the families to re-judge, and the references it made known. */
export interface CatalogueChange {
  readonly families: readonly string[];
  readonly refs: readonly string[];
}

/** Applies an image event to the catalogue. */
export function applyImageInput(catalogue: ImageCatalogue, input: ImageInput): CatalogueChange {
  switch (input.kind) {
    case 'image-published': {
      catalogue.familyOrNew(input.family).publish(input.version, input.at, input.allowedLagVersions);
      const refs = input.artifacts.map((a) => imageRefKey(a.platform, a.imageRef));
      for (const key of refs) catalogue.addRef(key, { family: input.family, version: input.version });
      return { families: [input.family], refs };
    }
    case 'image-promoted':
      catalogue
        .familyOrNew(input.family)
        .promote(input.version, input.toChannel, input.at, input.allowedLagVersions);
      return { families: [input.family], refs: [] };
    case 'image-revoked':
      for (const { family, version } of input.versions) {
        catalogue.familyOrNew(family).revoke(version, input.effectiveAt);
      }
      return { families: [...new Set(input.versions.map((v) => v.family))], refs: [] };
  }
}

/** The verdict of running each known version of each family at `now`: what a full recompute joins assets with. */
export function versionVerdicts(catalogue: ImageCatalogue, now: number): AssetVerdict[] {
  const out: AssetVerdict[] = [];
  for (const family of catalogue.allFamilies()) {
    for (const { version } of family.state().versions) {
      out.push(classifyAsset({ family: family.name, version }, (n) => catalogue.family(n), now));
    }
  }
  return out;
}
