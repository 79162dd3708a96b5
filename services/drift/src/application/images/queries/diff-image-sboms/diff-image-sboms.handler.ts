import { ImageError } from '../../../../domain/images/image.error';
import { diffSboms, type SbomDiff } from '../../../../domain/images/sbom-diff';
import { parseSpdx23, type SbomPackage } from '../../../../domain/images/spdx-document';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { DiffImageSbomsQuery } from './diff-image-sboms.query';

export interface SbomDiffView extends SbomDiff {
  readonly imageVersionId: string;
  readonly againstId: string;
}

export class DiffImageSbomsHandler {
  constructor(private readonly store: ImageRegistryStore) {}

  async execute(query: DiffImageSbomsQuery): Promise<SbomDiffView> {
    const [target, base] = await Promise.all([
      this.packages(query.organisation, query.imageVersionId),
      this.packages(query.organisation, query.againstId),
    ]);
    return { imageVersionId: query.imageVersionId, againstId: query.againstId, ...diffSboms(base, target) };
  }

  private async packages(organisation: string, id: string): Promise<readonly SbomPackage[]> {
    const document = await this.store.sbomDocument(organisation, id);
    if (document === undefined) {
      throw new ImageError('IMAGE.NOT_FOUND', `No image version ${id}`, { metadata: { imageVersionId: id } });
    }
    const parsed = parseSpdx23(document);
    // Stored documents were validated on publication; one that no longer parses is corrupt.
    if (!parsed.ok) throw new Error(`the stored SBOM of image version ${id} does not parse`);
    return parsed.document.packages;
  }
}
