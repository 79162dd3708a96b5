import { IMAGE_CHANNELS, type ImageChannel } from '../../../../domain/images/image-channel';
import { imagePromoted } from '../../image-events';
import type { ImageRegistrySettings } from '../../image-registry.settings';
import type { Clock } from '../../ports/clock.port';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { PromotionDecision, PromotionGate } from '../../ports/promotion-gate.port';
import type { SignatureVerifier } from '../../ports/signature-verifier.port';
import { promotionRefused } from '../../promotion-denied';
import {
  decideChannelEntry,
  imageVersionNotFound,
  lockImageVersion,
  verifyStoredSignature,
} from '../../stored-image-version';
import type { RollbackChannelCommand } from './rollback-channel.command';

export interface RollbackResult {
  readonly id: string;
  readonly channel: ImageChannel;
  readonly supersedes: string;
  readonly policyDecisionId: string;
}

/**
 * Rolls a channel back to a version it held before: the version becomes the channel's current
 * one again, superseding the version promoted after it. The version must still meet what the
 * channel demands today (signature verified again, the `rf.image_promotion` requirements of the
 * channel) and must not be revoked. Announced as `image.promoted` with `rollback: true`, so
 * consumers move their expected version back without a new event type.
 */
export class RollbackChannelHandler {
  constructor(
    private readonly store: ImageRegistryStore,
    private readonly verifier: SignatureVerifier,
    private readonly gate: PromotionGate,
    private readonly clock: Clock,
    private readonly settings: ImageRegistrySettings,
  ) {}

  async execute(command: RollbackChannelCommand): Promise<RollbackResult> {
    const verification = await verifyStoredSignature(
      this.store,
      this.verifier,
      command.organisation,
      command.imageVersionId,
    );
    const outcome = await this.store.transaction(
      command.organisation,
      async (tx): Promise<RollbackResult | PromotionDecision> => {
        const { version } = await lockImageVersion(tx, command.imageVersionId);
        const now = this.clock.now();
        const current = await tx.latestInChannel(version.props.family, version.props.channel);
        if (!current) throw imageVersionNotFound(version.id);
        const channel = version.rollbackChannel(now, current.id);
        // The channel's requirements, as for a promotion into it from the channel below.
        const below = IMAGE_CHANNELS[IMAGE_CHANNELS.indexOf(channel) - 1] ?? null;
        const decision = await decideChannelEntry(tx, this.gate, this.settings, {
          version,
          verification,
          from: below,
          to: channel,
          now,
          actor: command.actor,
        });
        if (!decision.permitted) return decision;
        const superseded = current;
        await tx.enterChannel(version.id, channel, now, decision.decisionId, true);
        tx.publish(
          imagePromoted(
            {
              family: version.props.family,
              version: version.props.version,
              imageVersionId: version.id,
              fromChannel: channel,
              toChannel: channel,
              supersedes: {
                family: superseded.props.family,
                version: superseded.props.version,
                imageVersionId: superseded.id,
              },
              rollback: true,
              policyDecisionId: decision.decisionId,
              promotedBy: { ...command.actor },
              promotedAt: now.toISOString(),
            },
            decision.decisionId,
          ),
        );
        return { id: version.id, channel, supersedes: superseded.id, policyDecisionId: decision.decisionId };
      },
    );
    if ('event' in outcome) throw promotionRefused(outcome, `Rolling back to ${command.imageVersionId}`);
    return outcome;
  }
}
