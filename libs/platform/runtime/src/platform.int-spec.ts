import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadServiceConfig, type ServiceConfig } from '@rf/platform-config';
import { ServiceInstanceEntity } from '@rf/platform-persistence';
import { testServiceEnvironment } from '@rf/platform-testing';
import { DataSource } from 'typeorm';
import { PlatformModule } from './platform.module';

async function start(config: ServiceConfig): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformModule.forService({ config })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('a service on the platform runtime', () => {
  const config = loadServiceConfig(
    { service: 'remediation', version: '1.4.0', usesTemporal: true },
    testServiceEnvironment('remediation', { RF_BUILD_COMMIT: 'c0ffee1' }),
  );
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    ({ app, url } = await start(config));
  });

  afterAll(async () => {
    await app.close();
  });

  it('is live', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'remediation' });
  });

  it('is ready when its database, Kafka, the registry and Temporal answer', async () => {
    const res = await fetch(`${url}/readyz`);
    const body = (await res.json()) as { status: string; checks: { name: string; status: string }[] };
    expect(res.status).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.checks.map((c) => [c.name, c.status])).toEqual([
      ['database', 'up'],
      ['kafka', 'up'],
      ['schema-registry', 'up'],
      ['temporal', 'up'],
    ]);
  });

  it('reports its version', async () => {
    const body = (await fetch(`${url}/version`).then((r) => r.json())) as Record<string, string>;
    expect(body).toMatchObject({ service: 'remediation', version: '1.4.0', commit: 'c0ffee1' });
    expect(body['node']).toBe(process.version);
  });

  it('echoes the correlation id and counts requests in /metrics', async () => {
    const res = await fetch(`${url}/version`, { headers: { 'x-correlation-id': 'corr-123' } });
    expect(res.headers.get('x-correlation-id')).toBe('corr-123');
    const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(
      /http_server_request_duration_seconds_count\{service="remediation",method="GET",route="\/version",status_code="200"\} [1-9]/,
    );
    expect(metrics).toMatch(/process_cpu_user_seconds_total\{service="remediation"\}/);
  });

  it('answers an unknown route with problem+json', async () => {
    const res = await fetch(`${url}/no-such-route`, { headers: { 'x-correlation-id': 'corr-404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      code: 'HTTP.404',
      instance: '/no-such-route',
      correlationId: 'corr-404',
    });
  });

  it('registered its instance in its own database', async () => {
    const rows = await app
      .get(DataSource)
      .getRepository(ServiceInstanceEntity)
      .findBy({ commitSha: 'c0ffee1' });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.service === 'remediation')).toBe(true);
  });
});

describe('a service whose broker is unreachable', () => {
  it('is live but not ready, and names the failing dependency', async () => {
    const config = loadServiceConfig(
      { service: 'quantum', version: '0.0.1', usesTemporal: false },
      testServiceEnvironment('quantum', { RF_KAFKA_BROKERS: '127.0.0.1:1' }),
    );
    const { app, url } = await start(config);
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const res = await fetch(`${url}/readyz`);
      const body = (await res.json()) as { status: string; checks: { name: string; status: string }[] };
      expect(res.status).toBe(503);
      expect(body.status).toBe('not_ready');
      expect(body.checks.filter((c) => c.status === 'down').map((c) => c.name)).toEqual(['kafka']);
    } finally {
      await app.close();
    }
  });
});
