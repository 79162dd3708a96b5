import { InventoryError } from '../inventory.error';

export const DEFAULT_MISSED_SCANS_BEFORE_REMOVAL = 3;

/**
 * When inventory stops tracking an asset. A provider that reports an asset terminated removes it at
 * once; an asset that simply stops being listed is removed after K consecutive successful scans of its
 * connector missed it, so one flaky listing does not churn the fleet. Partial or failed scans never
 * count as a miss.
 */
export class RemovalPolicy {
  constructor(readonly missedScansBeforeRemoval: number = DEFAULT_MISSED_SCANS_BEFORE_REMOVAL) {
    if (!Number.isInteger(missedScansBeforeRemoval) || missedScansBeforeRemoval < 1) {
      throw new InventoryError(
        'INVENTORY.INVALID_CONFIGURATION',
        `missedScansBeforeRemoval must be an integer of at least 1, got ${missedScansBeforeRemoval}`,
        { metadata: { missedScansBeforeRemoval } },
      );
    }
  }

  /** Whether an asset now missed by `missedScans` consecutive scans (this one included) is removed. */
  removesAfterMisses(missedScans: number): boolean {
    return missedScans >= this.missedScansBeforeRemoval;
  }
}
