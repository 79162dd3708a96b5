import { InventoryError } from '../../domain/inventory.error';
import { RunScanCommand } from '../commands/run-scan/run-scan.command';
import type { RunScanHandler, ScanSummary, StartedScan } from '../commands/run-scan/run-scan.handler';
import type { Connector } from '../ports/connector.port';
import type { ScanTrigger } from '../ports/scan.repository.port';

export interface ScanSupervisorHooks {
  /** A scan ended in an error its own history could not record (e.g. the database went away). */
  readonly onCrash: (scanId: string, error: unknown) => void;
  readonly onFinish?: (summary: ScanSummary) => void;
}

/**
 * Starts scans in the background and keeps track of them, so that shutdown cancels every scan of
 * this process and waits until each has recorded how it ended.
 */
export class ScanSupervisor {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private closed = false;

  constructor(
    private readonly runScan: RunScanHandler,
    private readonly hooks: ScanSupervisorHooks,
  ) {}

  /** Fails with `INVENTORY.SCAN_ALREADY_RUNNING` when the connector is being scanned anywhere. */
  async launch(connector: Connector, organisation: string, trigger: ScanTrigger): Promise<StartedScan> {
    if (this.closed) {
      throw new InventoryError('INVENTORY.SCAN_FAILED', 'The service is shutting down', { retriable: true });
    }
    const controller = new AbortController();
    const started = await this.runScan.start(
      new RunScanCommand(connector, organisation, { signal: controller.signal, trigger }),
    );
    const done = started.completion.then(
      (summary) => this.hooks.onFinish?.(summary),
      (error: unknown) => this.hooks.onCrash(started.scanId, error),
    );
    const entry = { controller, done };
    this.running.set(started.scanId, entry);
    void done.finally(() => this.running.delete(started.scanId));
    return started;
  }

  runningScans(): number {
    return this.running.size;
  }

  /** Cancels every running scan and waits for each to record its end. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const entries = [...this.running.values()];
    for (const entry of entries) entry.controller.abort();
    await Promise.all(entries.map((e) => e.done));
  }
}
