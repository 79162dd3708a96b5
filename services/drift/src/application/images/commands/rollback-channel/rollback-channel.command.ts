import type { ImageActor } from '../../ports/image-registry.store.port';

/** Makes an earlier version of a channel its current version again (rollback of a promotion). */
export class RollbackChannelCommand {
  constructor(
    /** The organisation acted in: the caller's; the version is not found in any other. */
    readonly organisation: string,
    readonly imageVersionId: string,
    readonly actor: ImageActor,
  ) {}
}
