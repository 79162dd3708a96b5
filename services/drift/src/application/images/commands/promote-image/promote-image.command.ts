import type { ImageChannel } from '../../../../domain/images/image-channel';
import type { ImageActor } from '../../ports/image-registry.store.port';

/** Moves a version to the next channel; `to`, when given, must be that channel. */
export class PromoteImageCommand {
  constructor(
    /** The organisation acted in: the caller's; the version is not found in any other. */
    readonly organisation: string,
    readonly imageVersionId: string,
    readonly to: ImageChannel | undefined,
    readonly actor: ImageActor,
  ) {}
}
