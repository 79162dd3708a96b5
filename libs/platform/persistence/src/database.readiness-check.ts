import type { DataSource } from 'typeorm';

/** Ready when the database answers and no migration is pending. */
export function databaseReadinessCheck(dataSource: DataSource) {
  return {
    name: 'database',
    async check(): Promise<void> {
      await dataSource.query('SELECT 1');
      if (await dataSource.showMigrations()) throw new Error('migrations pending');
    },
  };
}
