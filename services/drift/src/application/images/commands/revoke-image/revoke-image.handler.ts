import { randomUUID } from 'node:crypto';
import { descendantsOf } from '../../../../domain/images/image-lineage';
import { ImageError } from '../../../../domain/images/image.error';
import { imageRevoked } from '../../image-events';
import type { Clock } from '../../ports/clock.port';
import type { ImageRegistryStore, NewRevocation } from '../../ports/image-registry.store.port';
import type { RevokeImageCommand } from './revoke-image.command';

/** Clock skew tolerated between the caller and the registry for an "immediate" effective time. */
const PAST_TOLERANCE_MS = 5 * 60_000;

export interface RevocationResult {
  readonly id: string;
  readonly effectiveAt: Date;
  readonly scheduled: boolean;
  readonly descendants: readonly string[];
}

/**
 * Revokes a version, immediately or from a future time. With inheritance (the default) every
 * version built on it, transitively, is revoked from the same time. One `image.revoked` names
 * the descendants, and commits with the revocations.
 */
export class RevokeImageHandler {
  constructor(
    private readonly store: ImageRegistryStore,
    private readonly clock: Clock,
  ) {}

  async execute(command: RevokeImageCommand): Promise<RevocationResult> {
    const now = this.clock.now();
    if (command.effectiveAt && command.effectiveAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
      throw new ImageError(
        'IMAGE.INVALID_REQUEST',
        'effectiveAt must not be in the past; omit it to revoke now',
      );
    }
    const effectiveAt =
      command.effectiveAt && command.effectiveAt.getTime() > now.getTime() ? command.effectiveAt : now;
    const scheduled = effectiveAt.getTime() > now.getTime();
    return this.store.transaction(command.organisation, async (tx) => {
      const found = await tx.findVersion(command.imageVersionId);
      if (!found) {
        throw new ImageError('IMAGE.NOT_FOUND', `No image version ${command.imageVersionId}`, {
          metadata: { imageVersionId: command.imageVersionId },
        });
      }
      await tx.lockFamily(found.props.family);
      const version = (await tx.findVersion(found.id)) ?? found;
      const inForce = version.revocationAt(effectiveAt);
      if (inForce) {
        throw new ImageError(
          'IMAGE.ALREADY_REVOKED',
          `${version.label} is revoked from ${inForce.effectiveAt.toISOString()} already`,
          { metadata: { imageVersionId: version.id, causeVersionId: inForce.causeVersionId } },
        );
      }
      const descendantIds = command.inheritedByDescendants
        ? descendantsOf(version.id, await tx.lineage())
        : [];
      const descendants = await tx.findVersions(descendantIds);
      const revocation = (imageVersionId: string): NewRevocation => ({
        id: randomUUID(),
        imageVersionId,
        causeVersionId: version.id,
        reason: command.reason,
        detail: command.detail,
        cveIds: command.cveIds,
        effectiveAt,
        revokedAt: now,
        revokedBy: command.actor,
      });
      await tx.insertRevocations([version.id, ...descendants.map((d) => d.id)].map(revocation));
      tx.publish(
        imageRevoked({
          family: version.props.family,
          version: version.props.version,
          imageVersionId: version.id,
          reason: command.reason,
          detail: command.detail,
          ...(command.cveIds.length > 0 ? { cveIds: [...command.cveIds] } : {}),
          effectiveAt: effectiveAt.toISOString(),
          scheduled,
          inheritedByDescendants: command.inheritedByDescendants,
          descendants: descendants.map((d) => ({
            family: d.props.family,
            version: d.props.version,
            imageVersionId: d.id,
          })),
          revokedBy: { ...command.actor },
          revokedAt: now.toISOString(),
        }),
      );
      return { id: version.id, effectiveAt, scheduled, descendants: descendants.map((d) => d.id) };
    });
  }
}
