import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { PLATFORM_MIGRATIONS } from './platform-migrations';
import { ServiceInstanceEntity } from './service-instance.entity';

export interface DatabaseSettings {
  readonly url: string;
  readonly service: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities?: readonly (Function | EntitySchema)[];
  readonly migrations?: readonly (new () => MigrationInterface)[];
  readonly poolSize?: number;
}

/** A DataSource for one service database. Schema changes only ever come from migrations. */
export function createDataSource(settings: DatabaseSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    applicationName: `rf-${settings.service}`,
    entities: [ServiceInstanceEntity, ...(settings.entities ?? [])],
    migrations: [...PLATFORM_MIGRATIONS, ...(settings.migrations ?? [])],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // Failed queries surface as errors to their callers, which log them with context.
    logging: false,
    extra: { max: settings.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  });
}

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so several replicas starting at once
 * apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('rf.migrations'))`);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext('rf.migrations'))`);
    }
  } finally {
    await runner.release();
  }
}
