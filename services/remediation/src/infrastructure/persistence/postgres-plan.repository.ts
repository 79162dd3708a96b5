import type { EntityManager } from 'typeorm';
import type { PlanRecord } from '../../application/ports/plan-record';
import type { PlanPatch, PlanRepository } from '../../application/ports/plan.repository.port';

interface PlanRow {
  id: string;
  organisation: string;
  source: PlanRecord['source'];
  source_ref: string;
  family: string;
  to_version: string;
  image_version_id: string;
  environment: string;
  assessment_id: string;
  strategy: PlanRecord['strategy'];
  autonomy_level: number;
  risk_score: number;
  fleet_size: number;
  approval_required: boolean;
  auto_start: boolean;
  status: PlanRecord['status'];
  asset_ids: string[];
  waves: PlanRecord['waves'];
  requested_by: PlanRecord['requestedBy'];
  approved_by: PlanRecord['approvedBy'];
  approval_decision_id: string | null;
  workflow_id: string;
  workflow_started_at: Date | null;
  status_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

function toRecord(r: PlanRow): PlanRecord {
  return {
    id: r.id,
    organisation: r.organisation,
    source: r.source,
    sourceRef: r.source_ref,
    family: r.family,
    toVersion: r.to_version,
    imageVersionId: r.image_version_id,
    environment: r.environment,
    assessmentId: r.assessment_id,
    strategy: r.strategy,
    autonomyLevel: r.autonomy_level as PlanRecord['autonomyLevel'],
    riskScore: r.risk_score,
    fleetSize: r.fleet_size,
    approvalRequired: r.approval_required,
    autoStart: r.auto_start,
    status: r.status,
    assetIds: r.asset_ids,
    waves: r.waves,
    requestedBy: r.requested_by,
    approvedBy: r.approved_by,
    approvalDecisionId: r.approval_decision_id,
    workflowId: r.workflow_id,
    workflowStartedAt: r.workflow_started_at,
    statusReason: r.status_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS: Readonly<Record<keyof PlanPatch, string>> = {
  status: 'status',
  statusReason: 'status_reason',
  approvedBy: 'approved_by',
  approvalDecisionId: 'approval_decision_id',
  autoStart: 'auto_start',
  workflowStartedAt: 'workflow_started_at',
};

/** Plans, their locks and cooldowns in PostgreSQL; pass a transaction's manager to join it. */
export class PostgresPlanRepository implements PlanRepository {
  constructor(private readonly manager: EntityManager) {}

  async insert(p: PlanRecord): Promise<void> {
    await this.manager.query(
      `INSERT INTO remediation_plans (id, source, source_ref, family, to_version, image_version_id, environment,
         assessment_id, strategy, autonomy_level, risk_score, fleet_size, approval_required, auto_start, status,
         asset_ids, waves, requested_by, approved_by, approval_decision_id, workflow_id, workflow_started_at,
         status_reason, created_at, updated_at, organisation)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26)`,
      [
        p.id,
        p.source,
        p.sourceRef,
        p.family,
        p.toVersion,
        p.imageVersionId,
        p.environment,
        p.assessmentId,
        p.strategy,
        p.autonomyLevel,
        p.riskScore,
        p.fleetSize,
        p.approvalRequired,
        p.autoStart,
        p.status,
        JSON.stringify(p.assetIds),
        JSON.stringify(p.waves),
        JSON.stringify(p.requestedBy),
        p.approvedBy === null ? null : JSON.stringify(p.approvedBy),
        p.approvalDecisionId,
        p.workflowId,
        p.workflowStartedAt,
        p.statusReason,
        p.createdAt,
        p.updatedAt,
        p.organisation,
      ],
    );
  }

  async get(organisation: string, id: string): Promise<PlanRecord | undefined> {
    const [row] = await this.manager.query<PlanRow[]>(
      'SELECT * FROM remediation_plans WHERE id = $1 AND organisation = $2',
      [id, organisation],
    );
    return row && toRecord(row);
  }

  async getForUpdate(organisation: string, id: string): Promise<PlanRecord | undefined> {
    const [row] = await this.manager.query<PlanRow[]>(
      'SELECT * FROM remediation_plans WHERE id = $1 AND organisation = $2 FOR UPDATE',
      [id, organisation],
    );
    return row && toRecord(row);
  }

  async organisationOf(id: string): Promise<string | undefined> {
    const [row] = await this.manager.query<{ organisation: string }[]>(
      'SELECT organisation FROM remediation_plans WHERE id = $1',
      [id],
    );
    return row?.organisation;
  }

  async update(id: string, patch: PlanPatch, at: Date): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [id, at];
    for (const [key, column] of Object.entries(COLUMNS) as [keyof PlanPatch, string][]) {
      const value = patch[key];
      if (value === undefined) continue;
      values.push(
        typeof value === 'object' && value !== null && !(value instanceof Date)
          ? JSON.stringify(value)
          : value,
      );
      sets.push(`${column} = $${values.length}`);
    }
    await this.manager.query(
      `UPDATE remediation_plans SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE id = $1`,
      values,
    );
  }

  async lockTargets(
    organisation: string,
    planId: string,
    assetIds: readonly string[],
    at: Date,
  ): Promise<string[]> {
    const taken = await this.manager.query<{ asset_id: string }[]>(
      `INSERT INTO remediation_target_locks (organisation, asset_id, plan_id, locked_at)
         SELECT $4, unnest($1::uuid[]), $2, $3
       ON CONFLICT (organisation, asset_id) DO NOTHING RETURNING asset_id`,
      [assetIds, planId, at, organisation],
    );
    if (taken.length === assetIds.length) return [];
    const mine = new Set(taken.map((r) => r.asset_id));
    return assetIds.filter((a) => !mine.has(a));
  }

  async releaseTargets(planId: string): Promise<void> {
    await this.manager.query('DELETE FROM remediation_target_locks WHERE plan_id = $1', [planId]);
  }

  async coolingDown(organisation: string, assetIds: readonly string[], at: Date): Promise<string[]> {
    const rows = await this.manager.query<{ asset_id: string }[]>(
      `SELECT asset_id FROM remediation_cooldowns
        WHERE organisation = $3 AND asset_id = ANY($1::uuid[]) AND until > $2 ORDER BY asset_id`,
      [assetIds, at, organisation],
    );
    return rows.map((r) => r.asset_id);
  }

  async startCooldown(
    organisation: string,
    planId: string,
    assetIds: readonly string[],
    until: Date,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO remediation_cooldowns (organisation, asset_id, plan_id, until)
         SELECT $4, unnest($1::uuid[]), $2, $3
       ON CONFLICT (organisation, asset_id) DO UPDATE SET plan_id = EXCLUDED.plan_id, until = EXCLUDED.until`,
      [assetIds, planId, until, organisation],
    );
  }

  async awaitingStart(limit: number): Promise<PlanRecord[]> {
    const rows = await this.manager.query<PlanRow[]>(
      `SELECT * FROM remediation_plans WHERE auto_start AND status = 'approved' AND workflow_started_at IS NULL
       ORDER BY created_at LIMIT $1`,
      [limit],
    );
    return rows.map(toRecord);
  }

  async list(organisation: string, limit: number): Promise<PlanRecord[]> {
    const rows = await this.manager.query<PlanRow[]>(
      'SELECT * FROM remediation_plans WHERE organisation = $2 ORDER BY created_at DESC LIMIT $1',
      [limit, organisation],
    );
    return rows.map(toRecord);
  }
}
