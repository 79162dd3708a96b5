import { SERVICE_NAMES } from '@rf/platform-config';
import { testDatabaseUrl } from '@rf/platform-testing';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from './data-source';
import { databaseReadinessCheck } from './database.readiness-check';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceInstanceRegistry } from './service-instance.registry';

async function resetSchema(url: string): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}

describe.each(SERVICE_NAMES)('%s database', (service) => {
  const url = testDatabaseUrl(service);
  let dataSource: DataSource;

  beforeAll(async () => {
    await resetSchema(url);
    dataSource = createDataSource({ url, service });
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('applies its migrations and round-trips a row', async () => {
    const check = databaseReadinessCheck(dataSource);
    await expect(check.check()).rejects.toThrow('migrations pending');
    expect(await runMigrations(dataSource)).toEqual(['CreateServiceInstances1763800000000']);
    await expect(check.check()).resolves.toBeUndefined();

    const registry = new ServiceInstanceRegistry(dataSource, {
      service,
      version: '9.9.9',
      commit: 'abcdef1',
    });
    await registry.register();
    await registry.markStopped();

    const row = await dataSource
      .getRepository(ServiceInstanceEntity)
      .findOneByOrFail({ id: registry.instanceId });
    expect(row).toMatchObject({ service, version: '9.9.9', commitSha: 'abcdef1', pid: process.pid });
    expect(row.stoppedAt?.getTime()).toBeGreaterThanOrEqual(row.startedAt.getTime());
  });
});

describe('migrations under concurrency', () => {
  it('apply exactly once when replicas start together', async () => {
    const url = testDatabaseUrl('gateway');
    await resetSchema(url);
    const replicas = Array.from({ length: 4 }, () => createDataSource({ url, service: 'gateway' }));
    await Promise.all(replicas.map((d) => d.initialize()));
    try {
      const applied = await Promise.all(replicas.map((d) => runMigrations(d)));
      expect(applied.flat()).toEqual(['CreateServiceInstances1763800000000']);
      const [first] = replicas;
      const rows = await first!.query<unknown[]>('SELECT name FROM typeorm_migrations');
      expect(rows).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((d) => d.destroy()));
    }
  });
});
