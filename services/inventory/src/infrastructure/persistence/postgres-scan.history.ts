import type { DataSource } from 'typeorm';
import type {
  ScanHistory,
  ScanHistoryCursor,
  ScanHistoryFilter,
} from '../../application/ports/scan-history.port';
import type { ScanRecord } from '../../application/ports/scan.repository.port';
import { type ScanRow, toScanRecord } from './postgres-scan.repository';

export class PostgresScanHistory implements ScanHistory {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    organisation: string,
    filter: ScanHistoryFilter,
    after: ScanHistoryCursor | undefined,
    limit: number,
  ): Promise<ScanRecord[]> {
    const where: string[] = ['organisation = $1'];
    const params: unknown[] = [organisation];
    if (filter.connectorId !== undefined) {
      params.push(filter.connectorId);
      where.push(`connector_id = $${params.length}::uuid`);
    }
    if (filter.status !== undefined) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (after !== undefined) {
      params.push(after.startedAt.toISOString(), after.scanId);
      where.push(`(started_at, scan_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit);
    const rows = await this.dataSource.query<ScanRow[]>(
      `SELECT * FROM scans WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, scan_id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toScanRecord);
  }

  async get(organisation: string, scanId: string): Promise<ScanRecord | undefined> {
    const [row] = await this.dataSource.query<ScanRow[]>(
      `SELECT * FROM scans WHERE scan_id = $1 AND organisation = $2`,
      [scanId, organisation],
    );
    return row === undefined ? undefined : toScanRecord(row);
  }
}
