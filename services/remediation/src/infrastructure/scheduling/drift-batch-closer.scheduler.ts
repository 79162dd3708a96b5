import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DriftBatcher } from '../../application/commands/batch-drift/drift-batcher';
import type { PlanStarter } from '../../application/commands/start-plans/plan-starter';

/** Closes drift batches whose window has passed, at an interval, and starts what they planned. */
export class DriftBatchCloserScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DriftBatchCloser');
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly batcher: DriftBatcher,
    private readonly starter: PlanStarter,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.batcher.batching) return;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.pass = this.closeAndStart()
        .catch((error: unknown) => {
          this.logger.warn(`closing drift batches failed; retrying next pass: ${String(error)}`);
        })
        .finally(() => {
          this.busy = false;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  private async closeAndStart(): Promise<void> {
    const closed = await this.batcher.closeDue();
    if (closed.some((c) => c.planId !== null)) await this.starter.startPending();
  }
}
