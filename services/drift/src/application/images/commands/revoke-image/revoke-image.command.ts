import type { RevocationReason } from '../../../../domain/images/image-version.entity';
import type { ImageActor } from '../../ports/image-registry.store.port';

/** Revokes a version now or at `effectiveAt`, and by default every image built on it. */
export class RevokeImageCommand {
  constructor(
    /** The organisation acted in: the caller's; the version is not found in any other. */
    readonly organisation: string,
    readonly imageVersionId: string,
    readonly reason: RevocationReason,
    readonly detail: string,
    readonly cveIds: readonly string[],
    readonly effectiveAt: Date | undefined,
    readonly inheritedByDescendants: boolean,
    readonly actor: ImageActor,
  ) {}
}
