import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type {
  AssetDiscoveredV1,
  AssetRemovedV1,
  AssetUpdatedV1,
  ImagePromotedV1,
  ImagePublishedV1,
  ImageRevokedV1,
  RemediationPlannedV1,
  RemediationRolledBackV1,
} from '@rf/contracts';
import { DEFAULT_ORGANISATION, type InboxContext } from '@rf/platform-events';
import { OnlyRecords } from '@rf/platform-policy';
import { ApplyDriftInputCommand } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.command';
import { ApplyDriftInputHandler } from '../../../application/drift/commands/apply-drift-input/apply-drift-input.handler';
import { TrackRemediationHandler } from '../../../application/drift/commands/track-remediation/track-remediation.handler';
import {
  ASSET_DISCOVERED,
  ASSET_REMOVED,
  ASSET_UPDATED,
  IMAGE_PROMOTED,
  IMAGE_PUBLISHED,
  IMAGE_REVOKED,
  REMEDIATION_PLANNED,
  REMEDIATION_ROLLED_BACK,
} from '../../../application/drift/drift-event-types';
import { DRIFT_CLOCK } from '../../../application/drift/drift.tokens';
import type { DriftClock } from '../../../application/drift/ports/drift-clock.port';
import type { DriftInput } from '../../../domain/drift/drift.types';
import { PostgresDriftStore } from '../persistence/postgres-drift.store';
import {
  assetRemovedInput,
  assetSeenInput,
  imagePromotedInput,
  imagePublishedInput,
  imageRevokedInput,
  transitionEvent,
} from './drift-event.mapper';

/** Drift is derived from facts; promotions and revocations are decided where they are made (rf.image_promotion). */
const DERIVES_DRIFT = 'derives drift from inventory and image facts';

/** The organisation an event's records belong to: its envelope's, or the default one's when it names none. */
function organisationOf(ctx: InboxContext): string {
  return ctx.event.organisation ?? DEFAULT_ORGANISATION;
}

/**
 * Feeds asset.* and image.* events to the drift engine inside the inbox transaction: the inbox
 * record, the read-model change and the drift events it causes commit together, so each event
 * counts exactly once and each drift change is announced exactly once. Each event changes the read
 * model of its own organisation only: an asset is judged against its organisation's image families.
 */
@Controller()
export class DriftInputConsumer {
  constructor(
    private readonly apply: ApplyDriftInputHandler,
    private readonly remediation: TrackRemediationHandler,
    @Inject(DRIFT_CLOCK) private readonly clock: DriftClock,
  ) {}

  @EventPattern([ASSET_DISCOVERED, ASSET_UPDATED])
  @OnlyRecords(DERIVES_DRIFT)
  assetSeen(@Payload() data: AssetDiscoveredV1 | AssetUpdatedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.run(assetSeenInput(data), ctx);
  }

  @EventPattern(ASSET_REMOVED)
  @OnlyRecords(DERIVES_DRIFT)
  assetRemoved(@Payload() data: AssetRemovedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.run(assetRemovedInput(data), ctx);
  }

  @EventPattern(IMAGE_PUBLISHED)
  @OnlyRecords(DERIVES_DRIFT)
  imagePublished(@Payload() data: ImagePublishedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.run(imagePublishedInput(data), ctx);
  }

  @EventPattern(IMAGE_PROMOTED)
  @OnlyRecords(DERIVES_DRIFT)
  imagePromoted(@Payload() data: ImagePromotedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.run(imagePromotedInput(data), ctx);
  }

  @EventPattern(IMAGE_REVOKED)
  @OnlyRecords(DERIVES_DRIFT)
  imageRevoked(@Payload() data: ImageRevokedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.run(imageRevokedInput(data), ctx);
  }

  /** Which version a plan moves which assets to: the drift it ends is credited to it. */
  @EventPattern(REMEDIATION_PLANNED)
  @OnlyRecords('records which version a plan targets, to credit the drift it ends')
  remediationPlanned(@Payload() data: RemediationPlannedV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.remediation.planned(new PostgresDriftStore(ctx.manager, organisationOf(ctx)), {
      planId: data.planId,
      family: data.family,
      toVersion: data.toVersion,
      assetIds: data.waves.flatMap((w) => w.assetIds),
      plannedAt: Date.parse(data.plannedAt),
    });
  }

  @EventPattern(REMEDIATION_ROLLED_BACK)
  @OnlyRecords('forgets the target of a plan that was rolled back')
  remediationRolledBack(@Payload() data: RemediationRolledBackV1, @Ctx() ctx: InboxContext): Promise<void> {
    return this.remediation.rolledBack(new PostgresDriftStore(ctx.manager, organisationOf(ctx)), data.planId);
  }

  private async run(input: DriftInput, ctx: InboxContext): Promise<void> {
    const organisation = organisationOf(ctx);
    const store = new PostgresDriftStore(ctx.manager, organisation);
    const transitions = await this.apply.execute(
      store,
      new ApplyDriftInputCommand(input, this.clock.now().getTime()),
    );
    await ctx.publish(transitions.map((t) => transitionEvent(t, organisation)));
  }
}
