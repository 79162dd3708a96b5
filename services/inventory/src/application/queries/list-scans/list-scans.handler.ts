import { InventoryError } from '../../../domain/inventory.error';
import { decodeCursor, type Page, pageOf } from '../../pagination/page-cursor';
import type { ScanHistory, ScanHistoryFilter } from '../../ports/scan-history.port';
import type { ScanRecord } from '../../ports/scan.repository.port';

export interface ListScansQuery {
  /** The caller's organisation: the only one listed. */
  readonly organisation: string;
  readonly filter: ScanHistoryFilter;
  readonly cursor?: string;
  readonly limit: number;
}

/** Scan history, newest first; the cursor is (started at, scan id) of the last scan of the page. */
export class ListScansHandler {
  constructor(private readonly history: ScanHistory) {}

  async execute(query: ListScansQuery): Promise<Page<ScanRecord>> {
    let after;
    if (query.cursor !== undefined) {
      const [startedAt = '', scanId = ''] = decodeCursor(query.cursor, 2);
      const at = new Date(startedAt);
      if (Number.isNaN(at.getTime())) {
        throw new InventoryError('INVENTORY.INVALID_REQUEST', 'The cursor is not one this API returned', {
          metadata: { errors: [{ field: 'cursor', message: 'is not a cursor returned by this API' }] },
        });
      }
      after = { startedAt: at, scanId };
    }
    const rows = await this.history.list(query.organisation, query.filter, after, query.limit + 1);
    return pageOf(rows, query.limit, (s) => [s.startedAt.toISOString(), s.scanId]);
  }
}
