import { SERVICE_NAMES } from '@rf/platform-config';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../main';
import type { Output } from '../output';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

function listen(status: number, body: unknown): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/readyz' ? status : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe('rf health', () => {
  const servers: Server[] = [];
  let env: Record<string, string> = {};

  afterEach(async () => {
    env = {};
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  async function pointServicesAt(ready: Record<string, boolean>): Promise<void> {
    for (const service of SERVICE_NAMES) {
      const up = ready[service] ?? true;
      const { server, url } = await listen(up ? 200 : 503, {
        status: up ? 'ready' : 'not_ready',
        checks: [{ name: 'kafka', status: up ? 'up' : 'down', error: up ? undefined : 'broker unreachable' }],
      });
      servers.push(server);
      env[`RF_${service.toUpperCase()}_URL`] = url;
    }
  }

  it('exits 0 and reports every service ready', async () => {
    await pointServicesAt({});
    const output = capture();
    const code = await main(['node', 'rf', 'health', '--json'], output, env);
    expect(code).toBe(0);
    const report = JSON.parse(output.stdout.join('\n')) as {
      healthy: boolean;
      services: { status: string }[];
    };
    expect(report.healthy).toBe(true);
    expect(report.services).toHaveLength(8);
    expect(report.services.every((s) => s.status === 'ready')).toBe(true);
  });

  it('exits 1 and names the failing check when a service is not ready', async () => {
    await pointServicesAt({ ledger: false });
    const output = capture();
    const code = await main(['node', 'rf', 'health'], output, env);
    expect(code).toBe(1);
    const ledgerLine = output.stdout
      .join('\n')
      .split('\n')
      .find((l) => l.startsWith('ledger'));
    expect(ledgerLine).toMatch(/not_ready .*kafka: broker unreachable/);
  });

  it('reports an unreachable service', async () => {
    await pointServicesAt({});
    env['RF_QUANTUM_URL'] = 'http://127.0.0.1:1';
    const output = capture();
    expect(await main(['node', 'rf', 'health', '--json'], output, env)).toBe(1);
    const report = JSON.parse(output.stdout.join('\n')) as {
      services: { service: string; status: string }[];
    };
    expect(report.services.find((s) => s.service === 'quantum')?.status).toBe('unreachable');
  });

  it('exits 2 on a usage error', async () => {
    const output = capture();
    expect(await main(['node', 'rf', 'health', '--timeout', 'soon'], output)).toBe(2);
    expect(output.stderr.join('\n')).toMatch(/--timeout must be a positive integer/);
    expect(await main(['node', 'rf', 'no-such-command'], capture())).toBe(2);
  });
});
