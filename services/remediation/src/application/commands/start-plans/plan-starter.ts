import type { Clock } from '../../ports/clock.port';
import type { PlanRepository } from '../../ports/plan.repository.port';
import type { RolloutWorkflows } from '../../ports/rollout-workflows.port';

/**
 * Starts the workflows of approved plans marked to start. The plan commits first, then its
 * workflow starts under an id derived from the plan, so a crash in between only delays the start:
 * the next pass starts it, and a duplicate start is refused by Temporal as the same workflow.
 */
export class PlanStarter {
  private running: Promise<number> | null = null;

  constructor(
    private readonly plans: PlanRepository,
    private readonly workflows: RolloutWorkflows,
    private readonly clock: Clock,
  ) {}

  /** Starts what is pending; concurrent calls share one pass. Returns the plans started. */
  startPending(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    let started = 0;
    for (;;) {
      const batch = await this.plans.awaitingStart(50);
      if (batch.length === 0) return started;
      for (const plan of batch) {
        await this.workflows.start(plan);
        await this.plans.update(plan.id, { workflowStartedAt: this.clock.now() }, this.clock.now());
        started++;
      }
    }
  }
}
