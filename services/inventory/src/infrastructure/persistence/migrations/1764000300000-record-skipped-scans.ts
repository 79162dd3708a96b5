import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scan history also records scheduled slots that were skipped, and is pruned by start time. */
export class RecordSkippedScans1764000300000 implements MigrationInterface {
  name = 'RecordSkippedScans1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scans DROP CONSTRAINT scans_status_check`);
    await q.query(`
      ALTER TABLE scans ADD CONSTRAINT scans_status_check
        CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'abandoned', 'skipped'))`);
    // Retention deletes by age.
    await q.query(`CREATE INDEX scans_started_at_idx ON scans (started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scans_started_at_idx`);
    await q.query(`DELETE FROM scans WHERE status = 'skipped'`);
    await q.query(`ALTER TABLE scans DROP CONSTRAINT scans_status_check`);
    await q.query(`
      ALTER TABLE scans ADD CONSTRAINT scans_status_check
        CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'abandoned'))`);
  }
}
