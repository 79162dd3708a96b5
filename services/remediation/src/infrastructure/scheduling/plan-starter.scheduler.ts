import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { PlanStarter } from '../../application/commands/start-plans/plan-starter';

/** Passes over approved plans at an interval, so a start missed after a commit still happens. */
export class PlanStarterScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PlanStarter');
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly starter: PlanStarter,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.pass = this.starter.startPending().catch((error: unknown) => {
        this.logger.warn(`starting approved plans failed; retrying next pass: ${String(error)}`);
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }
}
