import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What the latest remediation plan of each asset moves it to, to credit the plan with the fix. */
export class CreateDriftRemediationTargets1764300000001 implements MigrationInterface {
  name = 'CreateDriftRemediationTargets1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drift_remediation_targets (
        asset_id uuid PRIMARY KEY,
        plan_id uuid NOT NULL,
        family text NOT NULL,
        to_version text NOT NULL,
        planned_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX drift_remediation_targets_plan_idx ON drift_remediation_targets (plan_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE drift_remediation_targets`);
  }
}
