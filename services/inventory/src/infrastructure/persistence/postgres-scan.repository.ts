import type {
  NewScan,
  ScanRecord,
  ScanRepository,
  ScanStatus,
  ScanTrigger,
} from '../../application/ports/scan.repository.port';
import type { Platform } from '../../domain/asset/platform';
import { InventoryError } from '../../domain/inventory.error';
import type { ScanProblem } from '../../domain/scan/scan-problem';
import type { ScanCounts } from '../../domain/scan/scan-tally';
import type { SqlExecutor } from './postgres-asset.repository';

export interface ScanRow {
  scan_id: string;
  organisation: string;
  connector_id: string;
  connector_kind: Platform;
  sequence: number;
  trigger: ScanTrigger;
  status: ScanStatus;
  started_at: Date;
  finished_at: Date | null;
  discovered: number;
  updated: number;
  removed: number;
  unchanged: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  problems: ScanProblem[];
}

const COUNT_COLUMNS = [
  'discovered',
  'updated',
  'removed',
  'unchanged',
  'duplicates',
  'rejected',
  'ignored',
] as const;

function countValues(counts: ScanCounts): number[] {
  return COUNT_COLUMNS.map((column) => counts[column]);
}

export function toScanRecord(row: ScanRow): ScanRecord {
  return {
    scanId: row.scan_id,
    organisation: row.organisation,
    connectorId: row.connector_id,
    connectorKind: row.connector_kind,
    sequence: row.sequence,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    counts: {
      discovered: row.discovered,
      updated: row.updated,
      removed: row.removed,
      unchanged: row.unchanged,
      duplicates: row.duplicates,
      rejected: row.rejected,
      ignored: row.ignored,
    },
    problems: row.problems,
  };
}

/** Scan history in PostgreSQL, bound to the caller's transaction. */
export class PostgresScanRepository implements ScanRepository {
  constructor(private readonly db: SqlExecutor) {}

  async start(scan: NewScan): Promise<number> {
    await this.db.query(
      `UPDATE scans SET status = 'abandoned', finished_at = $2 WHERE connector_id = $1 AND status = 'running'`,
      [scan.connectorId, scan.startedAt.toISOString()],
    );
    const [row] = await this.db.query<{ sequence: number }[]>(
      `INSERT INTO scans (scan_id, connector_id, connector_kind, sequence, trigger, status, started_at,
                          organisation)
       SELECT $1::uuid, $2::uuid, $3::text, COALESCE(MAX(sequence), 0) + 1, $5::text, 'running', $4::timestamptz,
              $6::text
       FROM scans WHERE connector_id = $2::uuid
       RETURNING sequence`,
      [
        scan.scanId,
        scan.connectorId,
        scan.connectorKind,
        scan.startedAt.toISOString(),
        scan.trigger,
        scan.organisation,
      ],
    );
    if (!row) throw new Error('inserting the scan returned no row');
    return row.sequence;
  }

  async recordSkipped(scan: NewScan, finishedAt: Date, problem: ScanProblem): Promise<void> {
    await this.db.query(
      `INSERT INTO scans (scan_id, connector_id, connector_kind, sequence, trigger, status, started_at,
                          finished_at, problems, organisation)
       SELECT $1::uuid, $2::uuid, $3::text, COALESCE(MAX(sequence), 0) + 1, $5::text, 'skipped',
              $4::timestamptz, $6::timestamptz, $7::jsonb, $8::text
       FROM scans WHERE connector_id = $2::uuid`,
      [
        scan.scanId,
        scan.connectorId,
        scan.connectorKind,
        scan.startedAt.toISOString(),
        scan.trigger,
        finishedAt.toISOString(),
        JSON.stringify([problem]),
        scan.organisation,
      ],
    );
  }

  async recordProgress(scanId: string, counts: ScanCounts): Promise<void> {
    const [, affected] = await this.db.query<[unknown[], number]>(
      `UPDATE scans SET (${COUNT_COLUMNS.join(', ')}) = ($2, $3, $4, $5, $6, $7, $8)
       WHERE scan_id = $1 AND status = 'running'`,
      [scanId, ...countValues(counts)],
    );
    if (affected !== 1) throw leaseLost(scanId);
  }

  async finish(
    scanId: string,
    result: { status: ScanStatus; finishedAt: Date; counts: ScanCounts; problems: readonly ScanProblem[] },
  ): Promise<void> {
    const [, affected] = await this.db.query<[unknown[], number]>(
      `UPDATE scans SET status = $2, finished_at = $3, problems = $4::jsonb,
         (${COUNT_COLUMNS.join(', ')}) = ($5, $6, $7, $8, $9, $10, $11)
       WHERE scan_id = $1 AND status = 'running'`,
      [
        scanId,
        result.status,
        result.finishedAt.toISOString(),
        JSON.stringify(result.problems),
        ...countValues(result.counts),
      ],
    );
    if (affected !== 1) throw leaseLost(scanId);
  }

  async prune(retention: { startedBefore: Date; keepLatest: number }): Promise<number> {
    const [, deleted] = await this.db.query<[unknown[], number]>(
      `DELETE FROM scans s USING (
         SELECT scan_id, row_number() OVER (PARTITION BY connector_id ORDER BY sequence DESC) AS recency
         FROM scans WHERE status <> 'running'
       ) ranked
       WHERE s.scan_id = ranked.scan_id AND ranked.recency > $2 AND s.started_at < $1`,
      [retention.startedBefore.toISOString(), retention.keepLatest],
    );
    return deleted;
  }

  async history(connectorId: string, limit: number): Promise<ScanRecord[]> {
    const rows = await this.db.query<ScanRow[]>(
      `SELECT * FROM scans WHERE connector_id = $1 ORDER BY sequence DESC LIMIT $2`,
      [connectorId, limit],
    );
    return rows.map(toScanRecord);
  }
}

function leaseLost(scanId: string): InventoryError {
  return new InventoryError('INVENTORY.SCAN_LEASE_LOST', `Scan ${scanId} is no longer running`, {
    retriable: true,
    metadata: { scanId },
  });
}
