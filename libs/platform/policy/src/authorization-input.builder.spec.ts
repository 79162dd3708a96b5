import {
  type AuthorizationContext,
  buildAuthorizationRequest,
  buildPolicyInput,
} from './authorization-input.builder';
import { canonicalHash, canonicalJson } from './canonical-json.encoder';

const context: AuthorizationContext = {
  principal: {
    kind: 'user',
    id: 'auth0|42',
    displayName: 'Ada',
    grants: [
      { role: 'viewer', org: 'acme' },
      {
        role: 'engineer',
        org: 'acme',
        project: 'payments',
        env: 'prod',
        expiresAt: new Date('2025-12-01T00:00:00Z'),
      },
    ],
  },
  action: 'remediation.start',
  resource: {
    kind: 'plan',
    id: 'p-1',
    org: 'acme',
    project: 'payments',
    env: 'prod',
    requestedBy: 'auth0|7',
  },
  now: new Date('2025-11-22T09:06:01.250Z'),
};

describe('buildPolicyInput', () => {
  it('builds the rf.authz input', () => {
    expect(buildPolicyInput(context)).toEqual({
      principal: {
        kind: 'user',
        id: 'auth0|42',
        grants: [
          {
            role: 'engineer',
            org: 'acme',
            project: 'payments',
            env: 'prod',
            expiresAt: '2025-12-01T00:00:00.000Z',
          },
          { role: 'viewer', org: 'acme' },
        ],
      },
      action: 'remediation.start',
      resource: {
        kind: 'plan',
        id: 'p-1',
        org: 'acme',
        project: 'payments',
        env: 'prod',
        requestedBy: 'auth0|7',
      },
      now: '2025-11-22T09:06:01.250Z',
      exceptions: [],
    });
  });

  it('lists every member in canonical order, so its JSON text is already the canonical form', () => {
    const input = buildPolicyInput({
      ...context,
      exceptions: [{ ticket: 'EXC-1', expiresAt: '2025-12-01T00:00:00Z', policy: 'rf.authz', action: 'x.y' }],
    });
    expect(JSON.stringify(input)).toBe(canonicalJson(input));
  });

  it('copies only what the policy reads', () => {
    const principal = { ...context.principal, accessToken: 'secret', email: 'ada@example.com' };
    const input = buildPolicyInput({ ...context, principal });
    expect(JSON.stringify(input)).not.toMatch(/secret|example\.com|Ada/);
  });

  it('gives the same input, and hash, whatever the order or duplication of grants', () => {
    const [first, second] = context.principal.grants;
    const reordered = { ...context.principal, grants: [second!, first!, { ...first! }] };
    expect(canonicalHash(buildPolicyInput({ ...context, principal: reordered }))).toBe(
      canonicalHash(buildPolicyInput(context)),
    );
  });

  it('leaves absent fields out instead of setting them to undefined', () => {
    const input = buildPolicyInput({
      ...context,
      resource: { kind: 'org', id: 'acme', org: 'acme' },
      principal: {
        kind: 'service',
        id: 'drift',
        grants: [{ role: 'viewer', org: 'acme', project: undefined }],
      },
    });
    expect(Object.keys(input.resource)).toEqual(['id', 'kind', 'org']);
    expect(Object.keys(input.principal.grants[0]!)).toEqual(['org', 'role']);
  });

  it('passes exceptions on, sorted, with times as RFC 3339', () => {
    const input = buildPolicyInput({
      ...context,
      exceptions: [
        { ticket: 'EXC-9', expiresAt: '2025-11-23T00:00:00Z', policy: 'rf.authz' },
        { ticket: 'EXC-1', expiresAt: new Date('2025-11-24T00:00:00Z'), action: 'remediation.start' },
      ],
    });
    expect(input.exceptions).toEqual([
      { ticket: 'EXC-1', expiresAt: '2025-11-24T00:00:00.000Z', action: 'remediation.start' },
      { ticket: 'EXC-9', expiresAt: '2025-11-23T00:00:00Z', policy: 'rf.authz' },
    ]);
  });

  it('keeps an unreadable time unreadable, for the policy to refuse', () => {
    expect(buildPolicyInput({ ...context, now: new Date(Number.NaN) }).now).toBe('invalid');
  });
});

describe('buildAuthorizationRequest', () => {
  it('asks rf.authz and names actor and resource for the decision event', () => {
    const request = buildAuthorizationRequest(context);
    expect(request).toMatchObject({
      policy: 'rf.authz',
      action: 'remediation.start',
      actor: { kind: 'user', id: 'auth0|42', displayName: 'Ada' },
      resource: { kind: 'plan', id: 'p-1' },
      // Recorded in the organisation of what is decided on.
      organisation: 'acme',
    });
    expect(request.input).toEqual(buildPolicyInput(context));
  });

  it('omits a missing display name', () => {
    const request = buildAuthorizationRequest({
      ...context,
      principal: { kind: 'service', id: 'drift', grants: [] },
    });
    expect(request.actor).toEqual({ kind: 'service', id: 'drift' });
  });
});
