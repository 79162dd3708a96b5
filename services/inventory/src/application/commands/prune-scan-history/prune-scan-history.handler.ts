import { InventoryError } from '../../../domain/inventory.error';
import type { Clock } from '../../ports/clock.port';
import type { InventoryUnitOfWork } from '../../ports/inventory-unit-of-work.port';

const DAY_MS = 86_400_000;

export interface ScanHistoryRetention {
  /** Finished scans older than this are deleted… */
  readonly days: number;
  /** …except each connector's most recent ones, however old. */
  readonly keepLatest: number;
}

/** Keeps scan history bounded: deletes old finished scans, never a running one or a connector's latest. */
export class PruneScanHistoryHandler {
  constructor(
    private readonly unitOfWork: InventoryUnitOfWork,
    private readonly clock: Clock,
    private readonly retention: ScanHistoryRetention,
  ) {
    if (!(retention.days > 0) || !Number.isInteger(retention.keepLatest) || retention.keepLatest < 1) {
      throw new InventoryError('INVENTORY.INVALID_CONFIGURATION', 'scan history retention is invalid', {
        metadata: { ...retention },
      });
    }
  }

  /** Returns how many scans were deleted. */
  execute(): Promise<number> {
    const startedBefore = new Date(this.clock.now().getTime() - this.retention.days * DAY_MS);
    return this.unitOfWork.run((tx) =>
      tx.scans.prune({ startedBefore, keepLatest: this.retention.keepLatest }),
    );
  }
}
