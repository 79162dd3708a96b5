import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { toAppError } from '@rf/platform-errors';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PruneScanHistoryHandler } from '../../application/commands/prune-scan-history/prune-scan-history.handler';

export interface ScanHistoryPrunerSettings {
  readonly enabled: boolean;
  readonly intervalMs: number;
}

/** Prunes scan history at boot and then every interval. Every replica may run it: deleting is idempotent. */
export class ScanHistoryPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScanHistoryPruner');
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly prune: PruneScanHistoryHandler,
    private readonly settings: ScanHistoryPrunerSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.enabled) this.loop ??= this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        const deleted = await this.prune.execute();
        if (deleted > 0) this.logger.log({ deleted }, `pruned ${deleted} scans from the history`);
      } catch (error: unknown) {
        const failure = toAppError(error);
        this.logger.warn({ code: failure.code }, `scan history not pruned: ${failure.message}`);
      }
      await sleep(this.settings.intervalMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
