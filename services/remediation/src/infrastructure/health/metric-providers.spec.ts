import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpHealthCheckMetricProvider } from './http-health-check.metric-provider';
import { PrometheusMetricProvider } from './prometheus.metric-provider';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const query = (assetIds: string[]) => ({ planId: 'p', waveIndex: 0, assetIds, toVersion: '2.0.0' });

describe('HttpHealthCheckMetricProvider', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Health endpoints of three assets: one healthy, one failing, one that never answers in time.
    server = createServer((req, res) => {
      if (req.url === '/health/a-ok') res.writeHead(200).end('ok');
      else if (req.url === '/health/a-bad') res.writeHead(503).end('down');
      // a-slow: left hanging
    });
    url = await listen(server);
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('counts non-2xx and timeouts as bad observations', async () => {
    const provider = new HttpHealthCheckMetricProvider(`${url}/health/{assetId}`, 300);
    await expect(provider.sample(query(['a-ok', 'a-bad', 'a-slow']))).resolves.toEqual([
      { source: 'http-health-check', bad: 2, total: 3 },
    ]);
    await expect(provider.sample(query(['a-ok']))).resolves.toEqual([
      { source: 'http-health-check', bad: 0, total: 1 },
    ]);
  });
});

describe('PrometheusMetricProvider', () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  beforeAll(async () => {
    // Answers GET /api/v1/query as Prometheus documents it: an instant vector per series.
    server = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      seen.push(q);
      res.setHeader('content-type', 'application/json');
      if (q.startsWith('broken')) {
        res
          .writeHead(400)
          .end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
        return;
      }
      const value = q.startsWith('sum(bad') ? '3' : q.startsWith('sum(total') ? '120' : null;
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result:
              value === null || q.includes('nodata') ? [] : [{ metric: {}, value: [1732269961.5, value] }],
          },
        }),
      );
    });
    url = await listen(server);
  });
  afterAll(() => server.close());

  it('sums bad and total observations of the wave', async () => {
    const provider = new PrometheusMetricProvider(url, {
      bad: 'sum(bad{asset_id=~"$assets"})',
      total: 'sum(total{asset_id=~"$assets"})',
    });
    await expect(provider.sample(query(['11111111-aaaa', '22222222-bbbb']))).resolves.toEqual([
      { source: 'prometheus', bad: 3, total: 120 },
    ]);
    expect(seen).toContain('sum(bad{asset_id=~"11111111-aaaa|22222222-bbbb"})');
  });

  it('reads an empty vector as no observations', async () => {
    const provider = new PrometheusMetricProvider(url, {
      bad: 'sum(bad_nodata)',
      total: 'sum(total_nodata)',
    });
    await expect(provider.sample(query(['a']))).resolves.toEqual([
      { source: 'prometheus', bad: 0, total: 0 },
    ]);
  });

  it('fails as unavailable when Prometheus refuses the query', async () => {
    const provider = new PrometheusMetricProvider(url, { bad: 'broken(', total: 'broken(' });
    await expect(provider.sample(query(['a']))).rejects.toMatchObject({
      code: 'REMEDIATION.HEALTH_UNAVAILABLE',
    });
  });
});
