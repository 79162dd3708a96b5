import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Records every process that has run against the database: which build, where, and for how long. */
export class CreateServiceInstances1763800000000 implements MigrationInterface {
  name = 'CreateServiceInstances1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE service_instances (
        id uuid PRIMARY KEY,
        service text NOT NULL,
        version text NOT NULL,
        commit_sha text,
        hostname text NOT NULL,
        pid integer NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        stopped_at timestamptz
      )`);
    await q.query(`CREATE INDEX service_instances_started_at_idx ON service_instances (started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE service_instances`);
  }
}
