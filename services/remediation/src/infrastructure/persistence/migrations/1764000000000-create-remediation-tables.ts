import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Risk assessments with their inputs, human overrides, plans with their frozen asset sets, the
 * storm-control locks and cooldowns, and the idempotency records of workflow steps.
 */
export class CreateRemediationTables1764000000000 implements MigrationInterface {
  name = 'CreateRemediationTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE risk_assessments (
        id uuid PRIMARY KEY,
        target jsonb NOT NULL,
        factors jsonb NOT NULL,
        weights jsonb NOT NULL,
        compliance_impact double precision NOT NULL CHECK (compliance_impact BETWEEN 0 AND 1),
        base_score double precision NOT NULL,
        adjustments jsonb NOT NULL,
        score double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
        autonomy_level smallint NOT NULL CHECK (autonomy_level BETWEEN 0 AND 5),
        strategy text NOT NULL,
        timing jsonb NOT NULL,
        reasoning jsonb NOT NULL,
        model jsonb NOT NULL,
        assessed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE risk_overrides (
        id uuid PRIMARY KEY,
        assessment_id uuid NOT NULL REFERENCES risk_assessments (id),
        autonomy_level smallint NOT NULL CHECK (autonomy_level BETWEEN 0 AND 5),
        strategy text,
        reason text NOT NULL,
        overridden_by jsonb NOT NULL,
        overridden_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX risk_overrides_assessment ON risk_overrides (assessment_id, overridden_at)`);
    await q.query(`
      CREATE TABLE remediation_plans (
        id uuid PRIMARY KEY,
        source text NOT NULL CHECK (source IN ('drift', 'api')),
        source_ref text NOT NULL,
        family text NOT NULL,
        to_version text NOT NULL,
        image_version_id uuid NOT NULL,
        environment text NOT NULL,
        assessment_id uuid NOT NULL REFERENCES risk_assessments (id),
        strategy text NOT NULL,
        autonomy_level smallint NOT NULL,
        risk_score smallint NOT NULL,
        fleet_size integer NOT NULL,
        approval_required boolean NOT NULL,
        auto_start boolean NOT NULL,
        status text NOT NULL,
        asset_ids jsonb NOT NULL,
        waves jsonb NOT NULL,
        requested_by jsonb NOT NULL,
        approved_by jsonb,
        approval_decision_id uuid,
        workflow_id text NOT NULL UNIQUE,
        workflow_started_at timestamptz,
        status_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (source, source_ref)
      )`);
    await q.query(`CREATE INDEX remediation_plans_to_start ON remediation_plans (created_at)
                     WHERE auto_start AND status = 'approved' AND workflow_started_at IS NULL`);
    // Storm control: an asset belongs to at most one unfinished plan, and rests after a change.
    await q.query(`
      CREATE TABLE remediation_target_locks (
        asset_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        locked_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX remediation_target_locks_plan ON remediation_target_locks (plan_id)`);
    await q.query(`
      CREATE TABLE remediation_cooldowns (
        asset_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        until timestamptz NOT NULL
      )`);
    // One row per workflow step that has an effect outside Temporal: a retried activity finds its row.
    await q.query(`
      CREATE TABLE remediation_steps (
        workflow_id text NOT NULL,
        step text NOT NULL,
        plan_id uuid NOT NULL,
        result jsonb NOT NULL,
        done_at timestamptz NOT NULL,
        PRIMARY KEY (workflow_id, step)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'remediation_steps',
      'remediation_cooldowns',
      'remediation_target_locks',
      'remediation_plans',
      'risk_overrides',
      'risk_assessments',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
