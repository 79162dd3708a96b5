import { type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  Authorize,
  type PolicyDecision,
  type PolicyGate,
  type PolicyRequest,
  Public,
} from '@rf/platform-policy';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import { TokenBucketRateLimiter } from '../limits/token-bucket.rate-limiter';
import { AuthGuard } from './auth.guard';
import { Authenticated } from './authenticated.decorator';
import { callerScope } from './caller-scope';

class Routes {
  @Authorize('scan.run', callerScope('scan'))
  scan(): void {}

  @Public()
  health(): void {}

  @Authenticated()
  me(): void {}

  forgotten(): void {}
}

const acme: AuthenticatedPrincipal = {
  kind: 'service',
  id: 'apikey:1',
  org: 'acme',
  authMethod: 'api_key',
  grants: [{ role: 'operator', org: 'acme' }],
  scopes: ['scan.run'],
  credentialId: '1',
};

interface Req {
  headers: IncomingHttpHeaders;
  query?: Record<string, unknown>;
  principal?: AuthenticatedPrincipal;
}

function contextFor(handler: keyof Routes, request: Req, type = 'http'): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const decision = (permitted: boolean): PolicyDecision =>
  ({
    decisionId: 'd-1',
    result: permitted ? 'allow' : 'deny',
    permitted,
    reasons: permitted ? [] : ['operator lacks connector.manage'],
  }) as unknown as PolicyDecision;

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('AuthGuard', () => {
  let decide: jest.Mock<Promise<PolicyDecision>, [PolicyRequest]>;
  let authenticate: jest.Mock<Promise<AuthenticatedPrincipal>, [IncomingHttpHeaders]>;
  let guard: AuthGuard;

  beforeEach(() => {
    decide = jest.fn<Promise<PolicyDecision>, [PolicyRequest]>(() =>
      Promise.reject(new Error('unexpected decide')),
    );
    authenticate = jest.fn<Promise<AuthenticatedPrincipal>, [IncomingHttpHeaders]>(() =>
      Promise.resolve(acme),
    );
    const limits = {
      limiter: new TokenBucketRateLimiter(() => 0),
      perTenant: { capacity: 100, refillPerSecond: 1 },
      perToken: { capacity: 2, refillPerSecond: 1 },
    };
    guard = new AuthGuard(new Reflector(), { decide } as unknown as PolicyGate, { authenticate }, limits);
  });

  it('leaves event handlers (which inherit the global guards) to authorise themselves', async () => {
    await expect(guard.canActivate(contextFor('forgotten', { headers: {} }, 'rpc'))).resolves.toBe(true);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('passes public routes without authenticating', async () => {
    await expect(guard.canActivate(contextFor('health', { headers: {} }))).resolves.toBe(true);
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('refuses a route that is neither authorised, authenticated nor public, before authenticating', async () => {
    expect((await refusal(guard.canActivate(contextFor('forgotten', { headers: {} })))).code).toBe(
      'AUTH.ROUTE_UNGUARDED',
    );
    expect(authenticate).not.toHaveBeenCalled();
  });

  it('lets an authenticated-only route through without asking the policy, and sets the principal', async () => {
    const request: Req = { headers: {} };
    await expect(guard.canActivate(contextFor('me', request))).resolves.toBe(true);
    expect(request.principal).toBe(acme);
    expect(decide).not.toHaveBeenCalled();
  });

  it('asks rf.authz with the caller scope, and refuses a deny with its reasons', async () => {
    decide.mockResolvedValueOnce(decision(true)).mockResolvedValueOnce(decision(false));
    await expect(
      guard.canActivate(contextFor('scan', { headers: {}, query: { project: 'payments' } })),
    ).resolves.toBe(true);
    expect(decide.mock.calls[0]?.[0]).toMatchObject({
      action: 'scan.run',
      input: { resource: { kind: 'scan', org: 'acme', project: 'payments' } },
    });
    const denied = await refusal(guard.canActivate(contextFor('scan', { headers: {} })));
    expect(denied).toMatchObject({
      code: 'AUTH.POLICY_DENIED',
      kind: 'forbidden',
      metadata: { decisionId: 'd-1' },
    });
  });

  it('answers 404 to another organisation without asking the policy', async () => {
    const error = await refusal(
      guard.canActivate(contextFor('scan', { headers: {}, query: { org: 'globex' } })),
    );
    expect(error).toMatchObject({ code: 'TENANCY.NOT_FOUND', kind: 'not_found' });
    expect(decide).not.toHaveBeenCalled();
  });

  it('holds API keys to their scopes', async () => {
    authenticate.mockResolvedValue({ ...acme, scopes: ['asset.read'] });
    expect((await refusal(guard.canActivate(contextFor('scan', { headers: {} })))).code).toBe(
      'AUTH.SCOPE_MISSING',
    );
  });

  it('rate-limits per credential with a retry time, after authentication', async () => {
    decide.mockResolvedValue(decision(true));
    await guard.canActivate(contextFor('me', { headers: {} }));
    await guard.canActivate(contextFor('me', { headers: {} }));
    const limited = await refusal(guard.canActivate(contextFor('me', { headers: {} })));
    expect(limited).toMatchObject({
      code: 'LIMIT.RATE_LIMITED',
      metadata: { retryAfterSeconds: 1, limit: 'credential' },
    });
  });

  it('passes authentication failures through and maps a gate failure to unavailable', async () => {
    authenticate.mockRejectedValueOnce(new AuthError('AUTH.TOKEN_EXPIRED', 'expired'));
    expect((await refusal(guard.canActivate(contextFor('scan', { headers: {} })))).code).toBe(
      'AUTH.TOKEN_EXPIRED',
    );
    decide.mockRejectedValueOnce(new Error('outbox down'));
    expect(await refusal(guard.canActivate(contextFor('scan', { headers: {} })))).toMatchObject({
      code: 'AUTH.POLICY_UNAVAILABLE',
      kind: 'unavailable',
    });
  });
});
