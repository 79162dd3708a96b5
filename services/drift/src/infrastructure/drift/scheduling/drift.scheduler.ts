import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { toAppError } from '@rf/platform-errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DriftClock } from '../../../application/drift/ports/drift-clock.port';
import type { DriftMaintenance } from './drift-maintenance';

export interface DriftSchedule {
  /** Scheduled revocations and change snapshots are checked this often. */
  readonly tickMs: number;
  /** A full reconcile runs this often. */
  readonly reconcileMs: number;
}

/**
 * Runs the drift engine's periodic rounds, each organisation on its own: scheduled revocations and
 * snapshots on every tick, a full reconcile less often. A failed round is logged and the next one tries again; shutdown waits for
 * the round in progress.
 */
export class DriftScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DriftScheduler');
  private readonly stopping = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly maintenance: DriftMaintenance,
    private readonly clock: DriftClock,
    private readonly schedule: DriftSchedule,
  ) {}

  onApplicationBootstrap(): void {
    if (this.loops.length > 0) return;
    this.loops = [
      this.every(this.schedule.tickMs, 'tick', () => this.maintenance.tick(this.now())),
      this.every(this.schedule.reconcileMs, 'reconcile', async () => {
        const round = await this.maintenance.reconcile(this.now());
        for (const [organisation, result] of round) {
          const repaired = result.repairedAssets + result.repairedGroups;
          if (repaired > 0) {
            this.logger.warn({ organisation, result }, 'reconcile repaired divergent drift state');
          } else this.logger.debug({ organisation, result }, 'reconcile found no divergence');
        }
      }),
    ];
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private async every(intervalMs: number, name: string, round: () => Promise<unknown>): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        await sleep(intervalMs, undefined, { signal });
      } catch {
        return; // Aborted: shutting down.
      }
      try {
        await round();
      } catch (error: unknown) {
        const appError = toAppError(error);
        this.logger.error(
          { err: appError, code: appError.code },
          `drift ${name} failed: ${appError.message}`,
        );
      }
    }
  }
}
