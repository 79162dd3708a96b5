import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One rolling change of a cloud group (Azure VMSS, GCP MIG) per plan, group and direction: the image
 * it ran before (for the rollback), when the change was made, and how the rollout ended. Every asset
 * of the group in the plan shares it, so a retry or a second asset never starts a second rollout.
 */
export class CreateCloudGroupRollouts1764000510000 implements MigrationInterface {
  name = 'CreateCloudGroupRollouts1764000510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cloud_group_rollouts (
        executor text NOT NULL,
        plan_id uuid NOT NULL,
        group_ref text NOT NULL,
        action text NOT NULL CHECK (action IN ('apply', 'revert')),
        previous_image text,
        target_image text NOT NULL,
        changed_at timestamptz,
        marker text,
        outcome text CHECK (outcome IN ('succeeded', 'failed')),
        detail text,
        from_version text,
        to_version text,
        finished_at timestamptz,
        PRIMARY KEY (executor, plan_id, group_ref, action)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE cloud_group_rollouts');
  }
}
