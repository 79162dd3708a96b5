import type { Role, RoleGrant } from '@rf/platform-policy';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_GATEWAY_ROUTES, type HttpMethod } from './domain/gateway-route';
import type { UpstreamName } from './gateway.config';
import { GatewayTestBed, resetGatewayDatabase } from './testing/gateway-app.fixture';

/**
 * Every gateway endpoint × the four roles × own and foreign organisation, project and environment,
 * decided by the real compiled wasm bundle in prod mode. The expected outcome comes from this
 * file's own reading of docs/policy.md (least role per action, scope rules), not from the policy.
 */
const RANK: Readonly<Record<Role, number>> = { viewer: 0, operator: 1, engineer: 2, admin: 3 };
const ROLES = Object.keys(RANK) as Role[];

const LEAST_ROLE: Readonly<Record<string, Role>> = {
  'asset.read': 'viewer',
  'drift.read': 'viewer',
  'image.read': 'viewer',
  'compliance.read': 'viewer',
  'remediation.read': 'viewer',
  'ledger.read': 'viewer',
  'backup.read': 'viewer',
  'optimisation.read': 'viewer',
  'scan.run': 'operator',
  'compliance.score': 'operator',
  'remediation.approve': 'operator',
  'remediation.pause': 'operator',
  'remediation.resume': 'operator',
  'backup.run': 'operator',
  'drill.run': 'operator',
  'ledger.export': 'operator',
  'connector.manage': 'engineer',
  'image.publish': 'engineer',
  'image.promote': 'engineer',
  'image.revoke': 'engineer',
  'remediation.plan': 'engineer',
  'remediation.start': 'engineer',
  'remediation.cancel': 'engineer',
  'remediation.rollback': 'engineer',
  'restore.start': 'engineer',
  'optimisation.run': 'engineer',
  'apikey.manage': 'admin',
};

interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
  /** undefined: any authenticated caller (`/me`). */
  readonly action?: string;
  /** Organisation-wide acts are not covered by a project- or environment-narrowed grant. */
  readonly organisationWide: boolean;
  readonly upstream?: UpstreamName;
  readonly body?: string;
  /** What the endpoint answers when it is allowed. */
  readonly allowed: { status: number; code?: string };
}

const ENDPOINTS: readonly Endpoint[] = [
  ...DEFAULT_GATEWAY_ROUTES.flatMap((route) =>
    route.endpoints.map((e): Endpoint => ({
      method: e.method,
      path: ['/api/v1', route.prefix, e.path.replace('*path', 'x1/y2')].filter((p) => p.length > 0).join('/'),
      action: e.action,
      organisationWide: false,
      upstream: route.upstream as UpstreamName,
      allowed: { status: 200 },
    })),
  ),
  { method: 'GET', path: '/api/v1/me', organisationWide: false, allowed: { status: 200 } },
  {
    method: 'GET',
    path: '/api/v1/api-keys',
    action: 'apikey.manage',
    organisationWide: true,
    allowed: { status: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/api-keys',
    action: 'apikey.manage',
    organisationWide: true,
    body: JSON.stringify({
      name: 'matrix',
      role: 'viewer',
      scopes: ['asset.read'],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    allowed: { status: 201 },
  },
  {
    method: 'DELETE',
    path: `/api/v1/api-keys/${randomUUID()}`,
    action: 'apikey.manage',
    organisationWide: true,
    allowed: { status: 404, code: 'AUTH.API_KEY_NOT_FOUND' },
  },
];

type Narrowing = 'organisation' | 'project' | 'environment';

interface Target {
  readonly name: string;
  /** What the caller's grant is narrowed to (always inside acme). */
  readonly grant: Narrowing;
  readonly query: string;
  readonly foreign: 'none' | 'organisation' | 'project' | 'environment';
}

const TARGETS: readonly Target[] = [
  { name: 'own organisation', grant: 'organisation', query: '', foreign: 'none' },
  { name: 'foreign organisation', grant: 'organisation', query: 'org=globex', foreign: 'organisation' },
  { name: 'own project', grant: 'project', query: 'project=payments', foreign: 'none' },
  { name: 'foreign project', grant: 'project', query: 'project=billing', foreign: 'project' },
  { name: 'own environment', grant: 'environment', query: 'project=payments&env=prod', foreign: 'none' },
  {
    name: 'foreign environment',
    grant: 'environment',
    query: 'project=payments&env=staging',
    foreign: 'environment',
  },
];

function grantOf(role: Role, narrowing: Narrowing): Omit<RoleGrant, 'org'> {
  if (narrowing === 'organisation') return { role };
  if (narrowing === 'project') return { role, project: 'payments' };
  return { role, project: 'payments', env: 'prod' };
}

function expected(endpoint: Endpoint, role: Role, target: Target): { status: number; code?: string } {
  if (endpoint.action === undefined) return endpoint.allowed;
  if (target.foreign === 'organisation') return { status: 404, code: 'TENANCY.NOT_FOUND' };
  const covered =
    target.foreign === 'none' && (target.grant === 'organisation' || !endpoint.organisationWide);
  const ranked = RANK[role] >= RANK[LEAST_ROLE[endpoint.action] ?? 'admin'];
  return covered && ranked ? endpoint.allowed : { status: 403, code: 'AUTH.POLICY_DENIED' };
}

const CASES = ROLES.flatMap((role) =>
  TARGETS.flatMap((target) => ENDPOINTS.map((endpoint) => ({ role, target, endpoint }))),
);

describe('tenancy matrix: every endpoint × role × own/foreign organisation, project, environment', () => {
  jest.setTimeout(300_000);
  const bed = new GatewayTestBed();
  const tokens = new Map<string, string>();
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    await bed.start();
    const config = bed.config({
      RF_GATEWAY_RATE_TOKEN_BURST: '100000',
      RF_GATEWAY_RATE_TENANT_BURST: '100000',
    });
    await resetGatewayDatabase(config);
    const booted = await bed.boot(config);
    url = booted.url;
    db = booted.app.get(DataSource);
    for (const role of ROLES) {
      for (const narrowing of ['organisation', 'project', 'environment'] as const) {
        tokens.set(
          `${role}/${narrowing}`,
          await bed.idp.token({
            sub: `${role}-${narrowing}`,
            org: 'acme',
            grants: [grantOf(role, narrowing)],
          }),
        );
      }
    }
  });

  afterAll(() => bed.stop());

  it('covers every route-table endpoint, /me and the API key endpoints', () => {
    const routed = DEFAULT_GATEWAY_ROUTES.reduce((n, r) => n + r.endpoints.length, 0);
    expect(ENDPOINTS).toHaveLength(routed + 4);
    expect(CASES).toHaveLength(ENDPOINTS.length * 4 * 6);
    for (const e of ENDPOINTS) if (e.action) expect(LEAST_ROLE[e.action]).toBeDefined();
  });

  it.each(CASES.map((c) => [c.endpoint.method, c.endpoint.path, c.role, c.target.name, c] as const))(
    '%s %s as %s in %s',
    async (_method, _path, _role, _target, { role, target, endpoint }) => {
      const correlationId = `matrix-${randomUUID()}`;
      const separator = endpoint.path.includes('?') ? '&' : '?';
      const res = await fetch(`${url}${endpoint.path}${target.query ? `${separator}${target.query}` : ''}`, {
        method: endpoint.method,
        headers: {
          authorization: `Bearer ${tokens.get(`${role}/${target.grant}`) ?? ''}`,
          'x-correlation-id': correlationId,
          ...(endpoint.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(endpoint.body ? { body: endpoint.body } : {}),
      });
      const body = (await res.json()) as {
        code?: string;
        principal?: string;
        org?: string;
        service?: string;
      };
      const want = expected(endpoint, role, target);
      expect({ status: res.status, code: body.code }).toEqual({ status: want.status, code: want.code });
      if (!endpoint.upstream) return;
      const reached = bed.upstreams.get(endpoint.upstream)?.find(correlationId);
      if (want.status === 200) {
        expect(body).toMatchObject({
          service: endpoint.upstream,
          principal: `${role}-${target.grant}`,
          org: 'acme',
        });
        expect(reached?.principal.org).toBe('acme');
      } else {
        expect(reached).toBeUndefined();
      }
    },
  );

  it('recorded a policy.decided event in the outbox for every authorised-route decision', async () => {
    const decided = CASES.filter((c) => c.endpoint.action && c.target.foreign !== 'organisation').length;
    const [row] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM outbox WHERE event_type = 'io.resiliencefabric.policy.decided.v1'`,
    );
    expect(Number(row?.n)).toBe(decided);
  });
});
