import { InventoryError, type InventoryErrorCode, type InventoryErrorOptions } from '../inventory.error';
import type { ScanProblem } from './scan-problem';

/**
 * A connector could not produce its listing at all, with the individual problems to report (for a
 * file import: one per invalid line). The scan fails and records them; nothing is ingested.
 */
export class ConnectorFailure extends InventoryError {
  constructor(
    code: InventoryErrorCode,
    message: string,
    readonly problems: readonly ScanProblem[],
    options: InventoryErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'ConnectorFailure';
  }
}
