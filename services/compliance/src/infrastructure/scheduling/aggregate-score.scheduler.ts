import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { toAppError } from '@rf/platform-errors';
import type { UnitOfWork } from '@rf/platform-events';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScoreAggregatesHandler } from '../../application/commands/score-aggregates/score-aggregates.handler';
import { COMPLIANCE_SCORED } from '../../application/compliance-event-types';
import type { Clock } from '../../application/ports/clock.port';
import type { ComplianceThresholds } from '../../domain/scoring/compliance-thresholds';
import { PostgresComplianceTenants } from '../persistence/postgres-compliance.tenants';

/**
 * Every interval, re-aggregates the marked environments and organisations in one transaction with
 * the outbox, so their scores and compliance.scored events commit together. A failed round is logged
 * and its marks stay for the next.
 */
export class AggregateScoreScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AggregateScoreScheduler');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly thresholds: ComplianceThresholds,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.loop ??= this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One round; never throws. Returns how many scores were announced. */
  async aggregateOnce(): Promise<number> {
    try {
      return await this.unitOfWork.run(async (ctx) => {
        const handler = new ScoreAggregatesHandler(
          new PostgresComplianceTenants(ctx.manager),
          this.thresholds,
          this.clock,
        );
        const scored = await handler.execute();
        // Each announcement carries the organisation whose score it is.
        for (const { organisation, data } of scored)
          ctx.publish({ type: COMPLIANCE_SCORED, data, time: new Date(data.scoredAt), organisation });
        return scored.length;
      });
    } catch (error: unknown) {
      const e = toAppError(error);
      this.logger.error({ err: e, code: e.code }, `aggregate scores not computed: ${e.message}`);
      return 0;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const started = Date.now();
      await this.aggregateOnce();
      try {
        await sleep(Math.max(0, this.intervalMs - (Date.now() - started)), undefined, { signal });
      } catch {
        // Aborted: shutting down.
      }
    }
  }
}
