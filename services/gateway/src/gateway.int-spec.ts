import {
  delegatedPrincipalHeader,
  DEVELOPMENT_PRINCIPAL_PUBLIC_KEY,
  PrincipalTokenVerifier,
} from '@rf/platform-auth';
import { generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { MeResponse } from './api/me.controller';
import { GatewayTestBed, resetGatewayDatabase } from './testing/gateway-app.fixture';
import { TEST_AUDIENCE } from './testing/identity-provider.fixture';

interface Problem {
  status: number;
  code: string;
  detail?: string;
  metadata?: Record<string, unknown>;
}

const acmeAdmin = { sub: 'ada', org: 'acme', grants: [{ role: 'admin' as const }] };
const acmeViewer = { sub: 'vic', org: 'acme', grants: [{ role: 'viewer' as const }] };
const globexAdmin = { sub: 'gus', org: 'globex', grants: [{ role: 'admin' as const }] };

describe('the gateway', () => {
  jest.setTimeout(120_000);
  const bed = new GatewayTestBed();
  let url: string;
  let db: DataSource;

  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    const res = await fetch(`${url}${path}`, { ...init, headers });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      headers: res.headers,
      text,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape
      json: <T>() => JSON.parse(text) as T,
    };
  };

  beforeAll(async () => {
    await bed.start();
    const config = bed.config({ RF_GATEWAY_RATE_TOKEN_BURST: '1000', RF_GATEWAY_RATE_TENANT_BURST: '1000' });
    await resetGatewayDatabase(config);
    const booted = await bed.boot(config);
    url = booted.url;
    db = booted.app.get(DataSource);
  });

  afterAll(() => bed.stop());

  describe('authentication', () => {
    it('reports the caller on /api/v1/me', async () => {
      const res = await call('/api/v1/me', {
        token: await bed.idp.token(
          { ...acmeViewer, grants: [{ role: 'viewer', project: 'payments' }] },
          { name: 'Vic' },
        ),
      });
      expect(res.status).toBe(200);
      expect(res.json<MeResponse>()).toEqual({
        id: 'vic',
        kind: 'user',
        displayName: 'Vic',
        org: 'acme',
        authMethod: 'oidc',
        grants: [{ role: 'viewer', org: 'acme', project: 'payments' }],
        scopes: null,
      });
    });

    it.each([
      ['no credentials', () => Promise.resolve(undefined), 'AUTH.CREDENTIALS_MISSING'],
      [
        'an expired token',
        () =>
          bed.idp.token(acmeAdmin, {
            exp: Math.floor(Date.now() / 1000) - 3600,
            iat: Math.floor(Date.now() / 1000) - 7200,
          }),
        'AUTH.TOKEN_EXPIRED',
      ],
      [
        'a wrong issuer',
        () => bed.idp.token(acmeAdmin, { iss: 'https://other-idp.example/' }),
        'AUTH.TOKEN_INVALID',
      ],
      [
        'a wrong audience',
        () => bed.idp.token(acmeAdmin, { aud: `${TEST_AUDIENCE}-other` }),
        'AUTH.TOKEN_INVALID',
      ],
      [
        'a bad signature',
        async () => bed.idp.token(acmeAdmin, { signWith: (await generateKeyPair('ES256')).privateKey }),
        'AUTH.TOKEN_INVALID',
      ],
      ['a malformed API key', () => Promise.resolve('rfk_nothex_x'), 'AUTH.API_KEY_INVALID'],
    ] as const)('answers 401 problem+json to %s', async (_, token, code) => {
      const credential = await token();
      for (const path of ['/api/v1/me', '/api/v1/assets']) {
        const res = await call(path, credential ? { token: credential } : {});
        expect(res.status).toBe(401);
        expect(res.type).toContain('application/problem+json');
        expect(res.json<Problem>()).toMatchObject({ status: 401, code });
      }
    });

    it('leaves the probes public', async () => {
      expect((await call('/healthz')).status).toBe(200);
    });
  });

  describe('forwarding', () => {
    it('forwards path, query, body, correlation id and trace context, with a signed principal instead of the credential', async () => {
      const token = await bed.idp.token({ sub: 'eve', org: 'acme', grants: [{ role: 'engineer' }] });
      const correlationId = `corr-${randomUUID()}`;
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const body = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
      const res = await call('/api/v1/connectors/c-1?project=payments&verbose=1', {
        method: 'PUT',
        token,
        body,
        headers: {
          'content-type': 'application/octet-stream',
          'x-correlation-id': correlationId,
          traceparent,
          cookie: 'session=secret',
        },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBe('"v1"');
      expect(res.headers.get('x-internal')).toBeNull();
      expect(res.headers.get('x-correlation-id')).toBe(correlationId);
      const seen = bed.upstreams.get('inventory')?.find(correlationId);
      expect(seen).toBeDefined();
      expect(seen?.method).toBe('PUT');
      expect(seen?.url).toBe('/api/v1/connectors/c-1?project=payments&verbose=1');
      expect(seen?.body.equals(body)).toBe(true);
      expect(seen?.headers['traceparent']).toBe(traceparent);
      expect(seen?.headers['authorization']).toBeUndefined();
      expect(seen?.headers['cookie']).toBeUndefined();
      expect(seen?.principal).toMatchObject({ id: 'eve', org: 'acme', authMethod: 'oidc' });
    });

    it('routes each prefix to its service', async () => {
      const token = await bed.idp.token(acmeViewer);
      for (const [path, service] of [
        ['/api/v1/drift/reports', 'drift'],
        ['/api/v1/images', 'drift'],
        ['/api/v1/compliance/scores', 'compliance'],
        ['/api/v1/ledger/checkpoint', 'ledger'],
        ['/api/v1/recovery/backups', 'recovery'],
        ['/api/v1/quantum/runs', 'quantum'],
      ] as const) {
        const res = await call(path, { token });
        expect(res.status).toBe(200);
        expect(res.json<{ service: string }>().service).toBe(service);
      }
    });

    it('signs the caller for the services an endpoint delegates to, and only there', async () => {
      const token = await bed.idp.token({ sub: 'otto', org: 'acme', grants: [{ role: 'operator' }] });
      const correlationId = `corr-${randomUUID()}`;
      const res = await call('/api/v1/ledger/evidence-packs', {
        method: 'POST',
        token,
        body: '{}',
        headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
      });
      expect(res.status).toBe(200);
      const seen = bed.upstreams.get('ledger')?.find(correlationId);
      const forDrift = seen?.headers[delegatedPrincipalHeader('drift')];
      expect(typeof forDrift).toBe('string');
      // A token for the drift service (audience rf-drift) carrying the caller, not one for the ledger.
      const verified = await new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'drift').verify(
        forDrift as string,
      );
      expect(verified).toMatchObject({ id: 'otto', org: 'acme' });
      await expect(
        new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'ledger').verify(forDrift as string),
      ).rejects.toThrow();

      const plain = `corr-${randomUUID()}`;
      await call('/api/v1/ledger/checkpoint', { token, headers: { 'x-correlation-id': plain } });
      expect(
        bed.upstreams.get('ledger')?.find(plain)?.headers[delegatedPrincipalHeader('drift')],
      ).toBeUndefined();
    });

    it('answers 503 problem when the service is unreachable', async () => {
      const token = await bed.idp.token(acmeViewer);
      const inventory = bed.upstreams.get('inventory');
      const second = await bed.boot(bed.config({ RF_UPSTREAM_INVENTORY_URL: 'http://127.0.0.1:1' }));
      const res = await fetch(`${second.url}/api/v1/assets`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'GATEWAY.UPSTREAM_UNAVAILABLE' });
      expect(inventory).toBeDefined();
    });
  });

  describe('API keys', () => {
    it('creates a key once, lists it without its secret, authenticates with it within its scopes, and revokes it', async () => {
      const admin = await bed.idp.token(acmeAdmin);
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const created = await call('/api/v1/api-keys', {
        method: 'POST',
        token: admin,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'ci-bot',
          role: 'operator',
          project: 'payments',
          scopes: ['scan.run', 'asset.read'],
          expiresAt,
        }),
      });
      expect(created.status).toBe(201);
      const key = created.json<{ id: string; key: string; prefix: string; org: string; scopes: string[] }>();
      expect(key.key).toMatch(/^rfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(key.key.startsWith(key.prefix)).toBe(true);
      expect(key).toMatchObject({ org: 'acme', scopes: ['asset.read', 'scan.run'] });

      const [row] = await db.query<{ hash: Buffer; salt: Buffer }[]>(
        'SELECT hash, salt FROM api_keys WHERE id = $1',
        [key.id],
      );
      expect(row?.hash).toHaveLength(32);
      expect(JSON.stringify(await db.query('SELECT * FROM api_keys'))).not.toContain(key.key.split('_')[2]);

      const listed = await call('/api/v1/api-keys', { token: admin });
      expect(listed.status).toBe(200);
      expect(listed.text).not.toContain(key.key);
      expect(listed.json<{ items: { id: string }[] }>().items.map((k) => k.id)).toContain(key.id);

      const correlationId = `corr-${randomUUID()}`;
      const scan = await call('/api/v1/scans?project=payments', {
        method: 'POST',
        token: key.key,
        headers: { 'x-correlation-id': correlationId },
      });
      expect(scan.status).toBe(200);
      expect(bed.upstreams.get('inventory')?.find(correlationId)?.principal).toMatchObject({
        id: `apikey:${key.id}`,
        kind: 'service',
        authMethod: 'api_key',
        scopes: ['asset.read', 'scan.run'],
      });
      // Also through X-API-Key.
      expect(
        (await call('/api/v1/assets?project=payments', { headers: { 'x-api-key': key.key } })).status,
      ).toBe(200);
      // Outside its scopes (its role would allow drift.read), and outside its project.
      expect(
        (await call('/api/v1/drift?project=payments', { token: key.key })).json<Problem>(),
      ).toMatchObject({ status: 403, code: 'AUTH.SCOPE_MISSING' });
      expect(
        (await call('/api/v1/assets?project=billing', { token: key.key })).json<Problem>(),
      ).toMatchObject({ status: 403, code: 'AUTH.POLICY_DENIED' });
      // A wrong secret with a real key id.
      const forged = `${key.prefix}_${'A'.repeat(43)}`;
      expect((await call('/api/v1/assets', { token: forged })).json<Problem>()).toMatchObject({
        status: 401,
        code: 'AUTH.API_KEY_INVALID',
      });

      // Another organisation's admin neither sees nor revokes it.
      const foreign = await bed.idp.token(globexAdmin);
      expect((await call('/api/v1/api-keys', { token: foreign })).json<{ items: unknown[] }>().items).toEqual(
        [],
      );
      expect(
        (await call(`/api/v1/api-keys/${key.id}`, { method: 'DELETE', token: foreign })).json<Problem>(),
      ).toMatchObject({
        status: 404,
        code: 'AUTH.API_KEY_NOT_FOUND',
      });
      // A non-admin of the same organisation may not manage keys.
      expect((await call('/api/v1/api-keys', { token: await bed.idp.token(acmeViewer) })).status).toBe(403);

      const revoked = await call(`/api/v1/api-keys/${key.id}`, { method: 'DELETE', token: admin });
      expect(revoked.status).toBe(200);
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
      expect(
        (await call('/api/v1/assets?project=payments', { token: key.key })).json<Problem>(),
      ).toMatchObject({
        status: 401,
        code: 'AUTH.API_KEY_REVOKED',
      });
    });

    it.each([
      [{ name: 'x', role: 'root', scopes: ['*'], expiresAt: '2030-01-01T00:00:00Z' }, 'role'],
      [{ name: 'x', role: 'viewer', scopes: [], expiresAt: '2030-01-01T00:00:00Z' }, 'scopes'],
      [
        {
          name: 'x',
          role: 'viewer',
          scopes: ['Not An Action'],
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
        'scopes',
      ],
      [{ name: 'x', role: 'viewer', scopes: ['*'], expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
      [{ name: 'x', role: 'viewer', scopes: ['*'], expiresAt: '2099-01-01T00:00:00Z' }, 'expiresAt'],
    ])(
      'refuses an invalid key request (case %#) with a 400 problem naming the field',
      async (body, field) => {
        const res = await call('/api/v1/api-keys', {
          method: 'POST',
          token: await bed.idp.token(acmeAdmin),
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
        expect(res.json<Problem>()).toMatchObject({ code: 'AUTH.API_KEY_REQUEST_INVALID' });
        expect(res.json<Problem>().detail).toContain(field);
      },
    );
  });

  describe('limits', () => {
    let limited: string;

    beforeAll(async () => {
      const booted = await bed.boot(
        bed.config({
          RF_GATEWAY_RATE_TOKEN_BURST: '3',
          RF_GATEWAY_RATE_TOKEN_PER_S: '0.05',
          RF_GATEWAY_RATE_TENANT_BURST: '5',
          RF_GATEWAY_RATE_TENANT_PER_S: '0.05',
          RF_GATEWAY_BODY_LIMIT_BYTES: '2048',
          RF_GATEWAY_MAX_PAGE_SIZE: '100',
        }),
      );
      limited = booted.url;
    });

    const limitedCall = (path: string, token: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return fetch(`${limited}${path}`, { ...init, headers });
    };

    it('answers 429 with Retry-After per token, then per organisation', async () => {
      const first = await bed.idp.token({ ...acmeViewer, sub: 'rate-1' }, { jti: 'rate-token-1' });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await limitedCall('/api/v1/assets', first)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const refused = await limitedCall('/api/v1/assets', first);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.json()).toMatchObject({
        code: 'LIMIT.RATE_LIMITED',
        metadata: { limit: 'credential' },
      });

      // Another token of the same organisation has its own bucket, but the organisation's is nearly spent.
      const second = await bed.idp.token({ ...acmeViewer, sub: 'rate-2' }, { jti: 'rate-token-2' });
      expect((await limitedCall('/api/v1/assets', second)).status).toBe(200);
      expect((await limitedCall('/api/v1/assets', second)).status).toBe(200);
      const tenantRefusal = await limitedCall('/api/v1/assets', second);
      expect(tenantRefusal.status).toBe(429);
      expect(await tenantRefusal.json()).toMatchObject({ metadata: { limit: 'organisation' } });
      // Another organisation is unaffected.
      expect(
        (await limitedCall('/api/v1/assets', await bed.idp.token({ ...globexAdmin, sub: 'rate-3' }))).status,
      ).toBe(200);
    });

    it('answers 413 problem to a body over the cap', async () => {
      const token = await bed.idp.token({ ...globexAdmin, sub: 'big-body' });
      const res = await limitedCall('/api/v1/connectors', token, {
        method: 'POST',
        body: Buffer.alloc(4096, 1),
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 413 });
    });

    it('answers 400 problem to a page size over the cap', async () => {
      const token = await bed.idp.token({ ...globexAdmin, sub: 'pager' }, { jti: 'pager' });
      const res = await limitedCall('/api/v1/assets?limit=101', token);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'LIMIT.PAGE_SIZE_EXCEEDED',
        metadata: { maxPageSize: 100 },
      });
      expect((await limitedCall('/api/v1/assets?limit=100', token)).status).toBe(200);
    });
  });
});
