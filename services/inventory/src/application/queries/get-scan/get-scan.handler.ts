import { InventoryError } from '../../../domain/inventory.error';
import type { ScanHistory } from '../../ports/scan-history.port';
import type { ScanRecord } from '../../ports/scan.repository.port';

export class GetScanHandler {
  constructor(private readonly history: ScanHistory) {}

  async execute(organisation: string, scanId: string): Promise<ScanRecord> {
    const scan = await this.history.get(organisation, scanId);
    if (!scan)
      throw new InventoryError('INVENTORY.SCAN_NOT_FOUND', `No scan ${scanId}`, { metadata: { scanId } });
    return scan;
  }
}
