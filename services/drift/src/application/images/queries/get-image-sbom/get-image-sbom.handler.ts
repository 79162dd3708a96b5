import { ImageError } from '../../../../domain/images/image.error';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { GetImageSbomQuery } from './get-image-sbom.query';

/** The SPDX document exactly as published, so its SHA-256 matches the signed manifest. */
export class GetImageSbomHandler {
  constructor(private readonly store: ImageRegistryStore) {}

  async execute(query: GetImageSbomQuery): Promise<string> {
    const document = await this.store.sbomDocument(query.organisation, query.imageVersionId);
    if (document === undefined) {
      throw new ImageError('IMAGE.NOT_FOUND', `No image version ${query.imageVersionId}`, {
        metadata: { imageVersionId: query.imageVersionId },
      });
    }
    return document;
  }
}
