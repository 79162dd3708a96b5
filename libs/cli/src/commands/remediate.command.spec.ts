import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { main } from '../main';
import type { Output } from '../output';

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

const PLAN = {
  id: '6f1c0c57-3c39-4a0e-9b7e-0d7c3a4b5c6d',
  status: 'awaiting_approval',
  strategy: 'canary',
  autonomyLevel: 1,
  riskScore: 69,
  environment: 'staging',
  family: 'rhel-9-base',
  toVersion: '1.1.0',
  assetIds: ['a', 'b', 'c'],
  waves: [
    { index: 0, assetIds: ['a'] },
    { index: 1, assetIds: ['b', 'c'] },
  ],
  statusReason: 'risk 69 exceeds the auto-approval limit of 20',
};

/** The remediation API's responses, as the service returns them (see remediation.int-spec.ts). */
describe('rf remediate', () => {
  let server: Server;
  let url: string;
  const requests: { method: string; path: string; body: unknown; authorization?: string }[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          body: text ? JSON.parse(text) : undefined,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        });
        if (req.url === `/api/v1/remediation/plans/${PLAN.id}/start`) {
          res.writeHead(409, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              status: 409,
              code: 'REMEDIATION.INVALID_TRANSITION',
              detail: `plan ${PLAN.id} needs approval before it starts`,
            }),
          );
          return;
        }
        if (req.url === `/api/v1/remediation/plans/${PLAN.id}`) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              plan: { ...PLAN, status: 'running' },
              assessment: {
                score: 0.69,
                reasoning: ['risk score 0.69 gives autonomy level 1 (AI_ASSISTED)'],
              },
              progress: {
                phase: 'soaking',
                currentWave: 1,
                wavesCompleted: 1,
                totalWaves: 2,
                assetsSucceeded: 2,
                assetsFailed: 0,
                paused: false,
                pauseReason: null,
                awaitingApproval: false,
              },
            }),
          );
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify(PLAN));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('plans a vulnerability fix and prints the plan', async () => {
    const out = capture();
    const code = await main(
      [
        'node',
        'rf',
        'remediate',
        'plan',
        '--family',
        'rhel-9-base',
        '--to',
        '1.1.0',
        '--env',
        'staging',
        '--asset',
        'a',
        'b',
        'c',
        '--cve',
        'CVE-2025-0001',
        '--severity',
        '0.9',
        '--waves',
        '2',
        '--actor',
        'u-1',
        '--url',
        url,
      ],
      out,
      {},
    );
    expect(code).toBe(0);
    expect(requests.at(-1)).toEqual({
      method: 'POST',
      path: '/api/v1/remediation/plans',
      body: {
        family: 'rhel-9-base',
        toVersion: '1.1.0',
        environment: 'staging',
        assetIds: ['a', 'b', 'c'],
        vulnerability: { id: 'CVE-2025-0001', severity: 0.9, exploitability: 0.3 },
        wavePolicy: { waveCount: 2 },
        requestedBy: { kind: 'user', id: 'u-1' },
      },
    });
    expect(out.stdout[0]).toContain('awaiting_approval');
    expect(out.stdout[0]).toContain('1/2');
  });

  it('reports a problem+json refusal with its code and exit 1', async () => {
    const out = capture();
    const code = await main(['node', 'rf', 'remediate', 'start', PLAN.id, '--url', url], out, {});
    expect(code).toBe(1);
    expect(out.stderr).toEqual([
      `rf: REMEDIATION.INVALID_TRANSITION: plan ${PLAN.id} needs approval before it starts`,
    ]);
  });

  it('shows status with live progress, from RF_REMEDIATION_URL', async () => {
    const out = capture();
    const code = await main(['node', 'rf', 'remediate', 'status', PLAN.id], out, { RF_REMEDIATION_URL: url });
    expect(code).toBe(0);
    expect(out.stdout.join('\n')).toContain('progress: soaking, wave 1 of 2, 1 done, 2 ok, 0 failed');
  });

  it('sends a bearer token from --token or RF_TOKEN, for the gateway', async () => {
    const sent = () => requests.at(-1)?.authorization;
    await main(['node', 'rf', 'remediate', 'status', PLAN.id, '--url', url], capture(), {});
    expect(sent()).toBeUndefined();
    await main(['node', 'rf', 'remediate', 'status', PLAN.id, '--url', url], capture(), {
      RF_TOKEN: 'rfk_env',
    });
    expect(sent()).toBe('Bearer rfk_env');
    await main(['node', 'rf', 'remediate', 'status', PLAN.id, '--url', url, '--token', 'tok'], capture(), {
      RF_TOKEN: 'rfk_env',
    });
    expect(sent()).toBe('Bearer tok');
  });

  it('exits 69 when the service is unreachable, and 2 without assets', async () => {
    const out = capture();
    expect(
      await main(['node', 'rf', 'remediate', 'pause', PLAN.id, '--url', 'http://127.0.0.1:1'], out, {}),
    ).toBe(69);
    expect(
      await main(
        ['node', 'rf', 'remediate', 'plan', '--family', 'f', '--to', '1', '--env', 'dev', '--url', url],
        out,
        {},
      ),
    ).toBe(2);
  });
});
