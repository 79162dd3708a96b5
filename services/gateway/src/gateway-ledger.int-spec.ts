import { processEnvironment } from '@rf/platform-config';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GatewayTestBed, resetGatewayDatabase } from './testing/gateway-app.fixture';

const ROOT = join(__dirname, '../../..');

/** A port the kernel just handed out; the ledger's config takes a port number, not 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * The gateway in front of the real ledger service, run as its own process (services never import
 * each other): the ledger verifies the forwarded principal with the gateway's key and asks its own
 * prod-mode policy gate, with the same wasm bundle.
 */
describe('the gateway in front of the real ledger', () => {
  jest.setTimeout(180_000);
  const bed = new GatewayTestBed();
  let ledger: ChildProcess;
  let ledgerUrl: string;
  let url: string;
  let output = '';

  beforeAll(async () => {
    await bed.start();
    const port = await freePort();
    ledgerUrl = `http://127.0.0.1:${port}`;
    ledger = spawn(process.execPath, ['-r', '@swc-node/register', 'services/ledger/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...processEnvironment(),
        ...testServiceEnvironment('ledger', {
          RF_HTTP_PORT: String(port),
          RF_POLICY_MODE: 'prod',
          RF_POLICY_BUNDLE: bed.bundle.bundlePath,
          RF_POLICY_PUBLIC_KEY: bed.bundle.publicKeyPem,
        }),
        SWC_NODE_PROJECT: 'tsconfig.json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    ledger.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    ledger.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor(
      async () => {
        if (ledger.exitCode !== null) throw new Error(`the ledger exited: ${output.slice(-2000)}`);
        const res = await fetch(`${ledgerUrl}/readyz`);
        return res.ok ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 250, description: 'the ledger service to be ready' },
    );
    const config = bed.config({ RF_UPSTREAM_LEDGER_URL: ledgerUrl });
    await resetGatewayDatabase(config);
    url = (await bed.boot(config)).url;
  });

  afterAll(async () => {
    if (ledger.exitCode === null) {
      const exited = new Promise((resolve) => ledger.once('exit', resolve));
      ledger.kill('SIGTERM');
      await exited;
    }
    await bed.stop();
  });

  const viaGateway = async (path: string, token: string) => {
    const res = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Record<string, unknown>,
    };
  };

  it('refuses callers that bypass the gateway', async () => {
    const res = await fetch(`${ledgerUrl}/api/v1/ledger/entries/0`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'AUTH.CREDENTIALS_MISSING' });
  });

  it('forwards a viewer to the ledger, which authenticates and authorises the forwarded principal', async () => {
    const viewer = await bed.idp.token({ sub: 'vera', org: 'acme', grants: [{ role: 'viewer' }] });
    // An entry far beyond the log: the ledger itself answers, after its own authorisation.
    const missing = await viaGateway('/api/v1/ledger/entries/999999999', viewer);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.status).toBe(404);
    expect(String(missing.body['code'])).toMatch(/^LEDGER\./);
  });

  it('lets the ledger enforce its finer action: an audit bundle needs ledger.export (operator)', async () => {
    const viewer = await bed.idp.token({ sub: 'vera', org: 'acme', grants: [{ role: 'viewer' }] });
    const refused = await viaGateway('/api/v1/ledger/audit-bundle?from=0&to=0', viewer);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'AUTH.POLICY_DENIED' });

    const operator = await bed.idp.token({ sub: 'otto', org: 'acme', grants: [{ role: 'operator' }] });
    const allowed = await viaGateway('/api/v1/ledger/audit-bundle?from=0&to=0', operator);
    expect(allowed.status).not.toBe(401);
    expect(allowed.status).not.toBe(403);
  });

  it('refuses at the gateway what the caller has no grant for, before the ledger sees it', async () => {
    const stranger = await bed.idp.token({ sub: 'sam', org: 'acme', grants: [] });
    const res = await viaGateway('/api/v1/ledger/entries/0', stranger);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'AUTH.POLICY_DENIED' });
  });
});
