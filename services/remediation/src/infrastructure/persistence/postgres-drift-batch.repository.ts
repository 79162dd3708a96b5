import type { EntityManager } from 'typeorm';
import type {
  DriftAdmission,
  DriftBatchRecord,
  DriftBatchRepository,
} from '../../application/ports/drift-batch.repository.port';
import type { DriftBatchKey } from '../../domain/plan/drift-batch';

interface BatchRow {
  id: string;
  organisation: string;
  family: string;
  to_version: string;
  environment: string;
  first_event_id: string;
  opened_at: Date;
  closes_at: Date;
}

const BATCH_COLUMNS =
  'id, organisation, family, to_version, environment, first_event_id, opened_at, closes_at';

function toRecord(row: BatchRow): DriftBatchRecord {
  return {
    id: row.id,
    organisation: row.organisation,
    family: row.family,
    toVersion: row.to_version,
    environment: row.environment,
    firstEventId: row.first_event_id,
    openedAt: row.opened_at,
    closesAt: row.closes_at,
  };
}

/** Drift batches in PostgreSQL; pass a transaction's manager to join it. */
export class PostgresDriftBatchRepository implements DriftBatchRepository {
  constructor(private readonly manager: EntityManager) {}

  async lockKey(key: DriftBatchKey): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `rf.drift-batch|${key.organisation}|${key.family}|${key.toVersion}|${key.environment}`,
    ]);
  }

  async openBatch(key: DriftBatchKey, at: Date): Promise<DriftBatchRecord | undefined> {
    const [row] = await this.manager.query<BatchRow[]>(
      `SELECT ${BATCH_COLUMNS} FROM drift_batches
        WHERE organisation = $5 AND family = $1 AND to_version = $2 AND environment = $3
          AND status = 'open' AND closes_at > $4
        ORDER BY opened_at DESC, id LIMIT 1 FOR UPDATE`,
      [key.family, key.toVersion, key.environment, at, key.organisation],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  async insertBatch(batch: DriftBatchRecord): Promise<void> {
    await this.manager.query(
      `INSERT INTO drift_batches (id, family, to_version, environment, status, first_event_id, opened_at, closes_at,
         organisation)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8)`,
      [
        batch.id,
        batch.family,
        batch.toVersion,
        batch.environment,
        batch.firstEventId,
        batch.openedAt,
        batch.closesAt,
        batch.organisation,
      ],
    );
  }

  async admit(batchId: string, member: DriftAdmission, at: Date): Promise<void> {
    await this.manager.query(
      `INSERT INTO drift_batch_members (batch_id, asset_id, drift_id, event_id, cause, drift_age_days, admitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (batch_id, asset_id) DO UPDATE SET
         cause = CASE WHEN EXCLUDED.cause = 'revoked' THEN 'revoked' ELSE drift_batch_members.cause END,
         drift_age_days = GREATEST(drift_batch_members.drift_age_days, EXCLUDED.drift_age_days)`,
      [batchId, member.assetId, member.driftId, member.eventId, member.cause, member.driftAgeDays, at],
    );
  }

  async nextDue(at: Date, skip: readonly string[]): Promise<DriftBatchRecord | undefined> {
    const [row] = await this.manager.query<BatchRow[]>(
      `SELECT ${BATCH_COLUMNS} FROM drift_batches
        WHERE status = 'open' AND closes_at <= $1 AND NOT (id = ANY($2::uuid[]))
        ORDER BY closes_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [at, skip],
    );
    return row === undefined ? undefined : toRecord(row);
  }

  async members(batchId: string): Promise<DriftAdmission[]> {
    const rows = await this.manager.query<
      {
        asset_id: string;
        drift_id: string;
        event_id: string;
        cause: DriftAdmission['cause'];
        drift_age_days: number;
      }[]
    >(
      `SELECT asset_id, drift_id, event_id, cause, drift_age_days FROM drift_batch_members
        WHERE batch_id = $1 ORDER BY asset_id`,
      [batchId],
    );
    return rows.map((r) => ({
      assetId: r.asset_id,
      driftId: r.drift_id,
      eventId: r.event_id,
      cause: r.cause,
      driftAgeDays: r.drift_age_days,
    }));
  }

  async heldTargets(organisation: string, assetIds: readonly string[]): Promise<string[]> {
    const rows = await this.manager.query<{ asset_id: string }[]>(
      `SELECT asset_id FROM remediation_target_locks
        WHERE organisation = $2 AND asset_id = ANY($1::uuid[]) ORDER BY asset_id`,
      [assetIds, organisation],
    );
    return rows.map((r) => r.asset_id);
  }

  async close(
    batchId: string,
    outcome: { readonly planId: string | null; readonly detail: string },
    dispositions: ReadonlyMap<string, 'planned' | 'locked' | 'cooling_down'>,
    at: Date,
  ): Promise<void> {
    await this.manager.query(
      `UPDATE drift_batches SET status = $2, plan_id = $3, outcome = $4, closed_at = $5 WHERE id = $1`,
      [batchId, outcome.planId === null ? 'skipped' : 'planned', outcome.planId, outcome.detail, at],
    );
    await this.manager.query(
      `UPDATE drift_batch_members m SET disposition = d.disposition
         FROM unnest($2::uuid[], $3::text[]) AS d (asset_id, disposition)
        WHERE m.batch_id = $1 AND m.asset_id = d.asset_id`,
      [batchId, [...dispositions.keys()], [...dispositions.values()]],
    );
  }
}
