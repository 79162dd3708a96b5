import { processEnvironment, SERVICE_NAMES, type ServiceName } from '@rf/platform-config';
import { stackEndpoints, testDatabaseUrl, testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '../..');
const RF = join(ROOT, 'libs/cli/bin/rf.js');
const BASE_PORT = 4100;

interface Running {
  service: ServiceName;
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

function start(service: ServiceName, port: number): Running {
  const main = join(ROOT, 'dist/services', service, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run make build before the e2e tests`);
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', main], {
    cwd: ROOT,
    env: {
      PATH: processEnvironment()['PATH'] ?? '',
      TS_NODE_BASEURL: join(ROOT, 'dist'),
      ...testServiceEnvironment(service, { RF_HTTP_PORT: String(port), RF_LOG_LEVEL: 'warn' }),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => {
      if (code !== 0 && stderr) process.stderr.write(`[${service}] ${stderr}\n`);
      resolveExit(code);
    });
  });
  return { service, url: `http://127.0.0.1:${port}`, child, exited };
}

function rf(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [RF, ...args],
      { cwd: ROOT, env: { ...processEnvironment(), ...env } },
      (error, stdout) => {
        resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout });
      },
    );
  });
}

describe('the platform, end to end', () => {
  const services: Running[] = [];
  const serviceUrls: Record<string, string> = {};

  beforeAll(async () => {
    SERVICE_NAMES.forEach((service, i) => services.push(start(service, BASE_PORT + i)));
    for (const s of services) serviceUrls[`RF_${s.service.toUpperCase()}_URL`] = s.url;
    await Promise.all(
      services.map((s) =>
        waitFor(
          async () => ((await fetch(`${s.url}/readyz`).catch(() => null))?.status === 200 ? true : undefined),
          { timeoutMs: 120_000, intervalMs: 250, description: `${s.service} ready` },
        ),
      ),
    );
  });

  afterAll(async () => {
    for (const s of services) s.child.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
  });

  it('brings all eight services up, and rf health reports every one ready', async () => {
    const { code, stdout } = await rf(['health', '--json'], serviceUrls);
    const report = JSON.parse(stdout) as {
      healthy: boolean;
      services: { service: string; status: string }[];
    };
    expect(report.services.map((s) => [s.service, s.status])).toEqual(
      SERVICE_NAMES.map((service) => [service, 'ready']),
    );
    expect(report.healthy).toBe(true);
    expect(code).toBe(0);
  });

  it('serves /version and Prometheus /metrics on every service', async () => {
    for (const s of services) {
      const version = (await fetch(`${s.url}/version`).then((r) => r.json())) as { service: string };
      expect(version.service).toBe(s.service);
      const metrics = await fetch(`${s.url}/metrics`).then((r) => r.text());
      expect(metrics).toContain(`http_server_request_duration_seconds_count{service="${s.service}"`);
    }
  });

  // With RF_STACK=external the infrastructure runs elsewhere (docker compose), not as the local stack.
  const localStack = processEnvironment()['RF_STACK'] !== 'external';
  (localStack ? it : it.skip)('reports the local stack through rf stack status', async () => {
    const { code, stdout } = await rf(['stack', 'status', '--json'], {});
    const components = JSON.parse(stdout) as Record<string, { state: string }>;
    for (const name of ['postgres', 'kafka', 'registry', 'temporal', 'opa']) {
      expect([name, components[name]?.state]).toEqual([name, 'up']);
    }
    expect(code).toBe(0);
  });

  it('shuts every service down gracefully on SIGTERM and records the stop', async () => {
    const pids = new Map(services.map((s) => [s.service, s.child.pid]));
    for (const s of services) s.child.kill('SIGTERM');
    const codes = await Promise.all(services.map((s) => s.exited));
    expect(codes).toEqual(services.map(() => 0));

    for (const service of SERVICE_NAMES) {
      const db = new Client({ connectionString: testDatabaseUrl(service, stackEndpoints()) });
      await db.connect();
      try {
        const { rows } = await db.query<{ stopped: boolean }>(
          'SELECT stopped_at IS NOT NULL AS stopped FROM service_instances WHERE pid = $1 ORDER BY started_at DESC LIMIT 1',
          [pids.get(service)],
        );
        expect(rows).toEqual([{ stopped: true }]);
      } finally {
        await db.end();
      }
    }
  });
});
