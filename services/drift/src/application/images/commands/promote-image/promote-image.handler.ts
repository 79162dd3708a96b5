import type { ImageChannel } from '../../../../domain/images/image-channel';
import { ImageError } from '../../../../domain/images/image.error';
import { imagePromoted } from '../../image-events';
import type { ImageRegistrySettings } from '../../image-registry.settings';
import type { Clock } from '../../ports/clock.port';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { PromotionDecision, PromotionGate } from '../../ports/promotion-gate.port';
import type { SignatureVerifier } from '../../ports/signature-verifier.port';
import { promotionRefused } from '../../promotion-denied';
import { decideChannelEntry, lockImageVersion, verifyStoredSignature } from '../../stored-image-version';
import type { PromoteImageCommand } from './promote-image.command';

export interface PromotionResult {
  readonly id: string;
  readonly from: ImageChannel;
  readonly to: ImageChannel;
  readonly policyDecisionId: string;
  readonly supersedes: string | null;
}

/**
 * Promotes a version one channel up through the `rf.image_promotion` policy. The signature is
 * verified again first (keys may have been withdrawn since publication) and the result stored.
 * The channel change, the decision and `image.promoted` commit together; a denial keeps its
 * decision and changes nothing.
 */
export class PromoteImageHandler {
  constructor(
    private readonly store: ImageRegistryStore,
    private readonly verifier: SignatureVerifier,
    private readonly gate: PromotionGate,
    private readonly clock: Clock,
    private readonly settings: ImageRegistrySettings,
  ) {}

  async execute(command: PromoteImageCommand): Promise<PromotionResult> {
    const verification = await verifyStoredSignature(
      this.store,
      this.verifier,
      command.organisation,
      command.imageVersionId,
    );
    const outcome = await this.store.transaction(
      command.organisation,
      async (tx): Promise<PromotionResult | PromotionDecision> => {
        const { found, version } = await lockImageVersion(tx, command.imageVersionId);
        const now = this.clock.now();
        const from = version.props.channel;
        // Two concurrent "promote" calls on one version promote it once, not twice in a row.
        if (from !== found.props.channel) {
          throw new ImageError(
            'IMAGE.CHANNEL_INVALID',
            `${version.label} was promoted to ${from} concurrently`,
            {
              metadata: { channel: from },
            },
          );
        }
        const to = version.promotionTarget(now, command.to);
        const decision = await decideChannelEntry(tx, this.gate, this.settings, {
          version,
          verification,
          from,
          to,
          now,
          actor: command.actor,
        });
        if (!decision.permitted) return decision;

        const superseded = await tx.latestInChannel(version.props.family, to, version.id);
        await tx.enterChannel(version.id, to, now, decision.decisionId);
        tx.publish(
          imagePromoted(
            {
              family: version.props.family,
              version: version.props.version,
              imageVersionId: version.id,
              fromChannel: from,
              toChannel: to,
              ...(superseded
                ? {
                    supersedes: {
                      family: superseded.props.family,
                      version: superseded.props.version,
                      imageVersionId: superseded.id,
                    },
                  }
                : {}),
              policyDecisionId: decision.decisionId,
              promotedBy: { ...command.actor },
              promotedAt: now.toISOString(),
            },
            decision.decisionId,
          ),
        );
        return {
          id: version.id,
          from,
          to,
          policyDecisionId: decision.decisionId,
          supersedes: superseded?.id ?? null,
        };
      },
    );
    if ('event' in outcome) throw promotionRefused(outcome, `Promoting ${command.imageVersionId}`);
    return outcome;
  }
}
