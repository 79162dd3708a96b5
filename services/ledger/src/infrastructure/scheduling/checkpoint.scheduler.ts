import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { toAppError } from '@rf/platform-errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { PublishCheckpointCommand } from '../../application/commands/publish-checkpoint/publish-checkpoint.command';
import type {
  PublishCheckpointHandler,
  PublishCheckpointResult,
} from '../../application/commands/publish-checkpoint/publish-checkpoint.handler';

/** While a failure persists, it is logged again every this many rounds rather than every round. */
const REPEAT_FAILURE_LOG_EVERY = 60;

/**
 * Signs a new checkpoint every interval while entries keep arriving (PublishCheckpoint does nothing
 * when the log has not grown). A failed round is logged and the next one tries again; shutdown stops
 * the loop and waits for the round in progress.
 */
export class CheckpointScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CheckpointScheduler');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private failureStreak = 0;
  private lastFailureCode: string | undefined;

  constructor(
    private readonly publish: PublishCheckpointHandler,
    private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    this.loop ??= this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One round. Never throws: the outcome is logged, and the result returned for callers that care. */
  async publishOnce(): Promise<PublishCheckpointResult | undefined> {
    try {
      const result = await this.publish.execute(new PublishCheckpointCommand());
      if (this.failureStreak > 0) {
        this.logger.log(`checkpoints signed again after ${this.failureStreak} failed rounds`);
      }
      this.failureStreak = 0;
      this.lastFailureCode = undefined;
      if (result.published && result.checkpoint) {
        this.logger.debug(`signed checkpoint at tree size ${result.checkpoint.treeSize}`);
      }
      return result;
    } catch (error: unknown) {
      this.recordFailure(error);
      return undefined;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      const started = Date.now();
      await this.publishOnce();
      try {
        await sleep(Math.max(0, this.intervalMs - (Date.now() - started)), undefined, { signal });
      } catch {
        // Aborted: shutting down.
      }
    }
  }

  private recordFailure(error: unknown): void {
    const appError = toAppError(error);
    this.failureStreak += 1;
    const changed = appError.code !== this.lastFailureCode;
    this.lastFailureCode = appError.code;
    if (changed || this.failureStreak % REPEAT_FAILURE_LOG_EVERY === 1) {
      // Integrity alarms (LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT) land here and need a human.
      this.logger.error(
        { err: appError, code: appError.code, failedRounds: this.failureStreak },
        `checkpoint not signed: ${appError.message}`,
      );
    }
  }
}
