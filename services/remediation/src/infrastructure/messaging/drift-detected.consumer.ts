import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { DriftDetectedV1 } from '@rf/contracts';
import { DEFAULT_ORGANISATION, InboxContext, type NewEvent } from '@rf/platform-events';
import { Acts } from '@rf/platform-policy';
import { DriftBatcher } from '../../application/commands/batch-drift/drift-batcher';
import { planFromDrift } from '../../application/commands/create-plan/drift-plan.mapper';
import { RemediationCommands } from '../../application/remediation-commands';
import { DRIFT_DETECTED } from '../../application/remediation-event-types';
import { RemediationError } from '../../domain/remediation.error';

/**
 * Plans a remediation for each drift.detected, inside the inbox transaction: the plan, its
 * assessment, decision and events commit with the inbox record, so each drift is planned once.
 * A drift on an asset that is being or was just remediated is noted and skipped (storm control).
 * With a batch window, the drift joins its family/version/environment batch instead, in the same
 * transaction, and the batch is planned as one when the window has passed.
 */
@Controller()
export class DriftDetectedConsumer {
  private readonly logger = new Logger(DriftDetectedConsumer.name);

  constructor(
    @Inject(RemediationCommands) private readonly commands: RemediationCommands,
    @Inject(DriftBatcher) private readonly batcher: DriftBatcher,
  ) {}

  @EventPattern(DRIFT_DETECTED)
  @Acts(
    'remediation.plan',
    'CreatePlanHandler: rf.remediation, recorded with the plan; a refusal is recorded as a rejected plan',
  )
  async plan(@Payload() payload: unknown, @Ctx() ctx: InboxContext): Promise<void> {
    // Validated against the drift.detected schema by the inbox before it reaches here.
    const drift = payload as DriftDetectedV1;
    // The plan is the drift's organisation's: the envelope's, never the data's.
    const organisation = ctx.event.organisation ?? DEFAULT_ORGANISATION;
    if (this.batcher.batching) {
      const admitted: NewEvent[] = [];
      await this.batcher.admit(
        { manager: ctx.manager, publish: (...events) => void admitted.push(...events) },
        drift,
        ctx.event.id,
        organisation,
      );
      await ctx.publish(admitted);
      return;
    }
    const savepoint = `drift_${ctx.event.id.replaceAll('-', '')}`;
    await ctx.manager.query(`SAVEPOINT ${savepoint}`);
    const pending: NewEvent[] = [];
    try {
      await this.commands.planIn(
        { manager: ctx.manager, publish: (...events) => void pending.push(...events) },
        planFromDrift(drift, ctx.event.id, organisation),
      );
    } catch (error: unknown) {
      if (
        error instanceof RemediationError &&
        (error.code === 'REMEDIATION.TARGET_LOCKED' || error.code === 'REMEDIATION.TARGET_COOLING_DOWN')
      ) {
        await ctx.manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        this.logger.log(`drift ${drift.driftId} on ${drift.assetId} skipped: ${error.message}`);
        return;
      }
      throw error;
    }
    // Caused by the drift event, in the inbox transaction; the plan starter picks up approved plans.
    await ctx.publish(pending);
  }
}
