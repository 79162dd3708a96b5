import type { ImageVersion } from '../../../../domain/images/image-version.entity';
import { ImageError } from '../../../../domain/images/image.error';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { GetImageQuery } from './get-image.query';

export class GetImageHandler {
  constructor(private readonly store: ImageRegistryStore) {}

  async execute(query: GetImageQuery): Promise<ImageVersion> {
    const version = await this.store.findVersion(query.organisation, query.imageVersionId);
    if (!version) {
      throw new ImageError('IMAGE.NOT_FOUND', `No image version ${query.imageVersionId}`, {
        metadata: { imageVersionId: query.imageVersionId },
      });
    }
    return version;
  }
}
