import type { ImageChannel } from '../../../../domain/images/image-channel';
import type { ImagePlatform } from '../../../../domain/images/platform-ref';

export class ListImagesQuery {
  constructor(
    /** Only this organisation's versions are listed. */
    readonly organisation: string,
    readonly filter: {
      readonly family?: string;
      readonly channel?: ImageChannel;
      readonly platform?: ImagePlatform;
      readonly revoked?: boolean;
    },
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {}
}
