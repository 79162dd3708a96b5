import type { ImageActor } from '../../ports/image-registry.store.port';

/** Makes an earlier version of a channel its current version again (rollback of a promotion). */
export class RollbackChannelCommand {
  constructor(
    readonly imageVersionId: string,
    readonly actor: ImageActor,
  ) {}
}
