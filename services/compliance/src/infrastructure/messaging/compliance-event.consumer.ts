import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DEFAULT_ORGANISATION, InboxContext } from '@rf/platform-events';
import { OnlyRecords } from '@rf/platform-policy';
import {
  ApplyComplianceEventCommand,
  type ComplianceInputEvent,
} from '../../application/commands/apply-compliance-event/apply-compliance-event.command';
import { ApplyComplianceEventHandler } from '../../application/commands/apply-compliance-event/apply-compliance-event.handler';
import { COMPLIANCE_INPUT_EVENT_TYPES, COMPLIANCE_SCORED } from '../../application/compliance-event-types';
import { CLOCK, COMPLIANCE_THRESHOLDS } from '../../application/compliance.tokens';
import type { Clock } from '../../application/ports/clock.port';
import type { ComplianceThresholds } from '../../domain/scoring/compliance-thresholds';
import { PostgresComplianceStore } from '../persistence/postgres-compliance.store';

/**
 * Feeds every input event through the inbox into the projections of its organisation (the event's
 * `ce_organisation`; the default organisation when it names none) and re-scores them in the same
 * transaction; compliance.scored goes out through the outbox of that transaction, keyed by subject,
 * with the same organisation.
 */
@Controller()
export class ComplianceEventConsumer {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLIANCE_THRESHOLDS) private readonly thresholds: ComplianceThresholds,
  ) {}

  @EventPattern(COMPLIANCE_INPUT_EVENT_TYPES)
  @OnlyRecords('scores compliance from facts: derived state, nothing in the fleet changes')
  async apply(@Payload() payload: unknown, @Ctx() ctx: InboxContext): Promise<void> {
    const { event, manager } = ctx;
    // From the envelope, never from the data.
    const organisation = event.organisation ?? DEFAULT_ORGANISATION;
    const handler = new ApplyComplianceEventHandler(
      new PostgresComplianceStore(manager, organisation),
      this.thresholds,
      this.clock,
    );
    // The inbox delivers only the subscribed types, their data validated against their schemas.
    const input = { id: event.id, type: event.type, time: event.time, data: payload } as ComplianceInputEvent;
    const scored = await handler.execute(new ApplyComplianceEventCommand(input));
    if (scored.length === 0) return;
    await ctx.publish(
      scored.map((data) => ({ type: COMPLIANCE_SCORED, data, time: new Date(data.scoredAt), organisation })),
    );
  }
}
