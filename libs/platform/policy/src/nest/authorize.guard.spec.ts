import {
  type ExecutionContext,
  ForbiddenException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from '../authorization-input.builder';
import type { PolicyDecision, PolicyRequest } from '../policy-decision.types';
import type { PolicyGate } from '../policy-gate';
import { PolicyError } from '../policy.error';
import { strictMock } from '../testing/fake-policy-bundle';
import { type AuthorizableRequest, Authorize, Public, resourceFromParams } from './authorize.decorator';
import { AuthorizeGuard } from './authorize.guard';

class PlansController {
  @Authorize('remediation.start')
  start(): void {}

  @Authorize('image.promote', () => ({ kind: 'image', id: 'img-1', org: 'acme', env: 'prod' }))
  promote(): void {}

  @Public()
  health(): void {}

  unguarded(): void {}
}

const principal: Principal = { kind: 'user', id: 'u-1', grants: [{ role: 'engineer', org: 'acme' }] };

function contextFor(
  handler: keyof PlansController,
  request: AuthorizableRequest,
  type = 'http',
): ExecutionContext {
  const stubs = {
    getHandler: () => PlansController.prototype[handler],
    getClass: () => PlansController,
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}), getNext: () => ({}) }),
  };
  return strictMock<ExecutionContext>(stubs as unknown as Partial<ExecutionContext>);
}

const decided = (overrides: Partial<PolicyDecision>): PolicyDecision => ({
  decisionId: 'd-1',
  policy: 'rf.authz',
  entrypoint: 'rf/authz/decision',
  action: 'remediation.start',
  result: 'allow',
  permitted: true,
  enforced: true,
  mode: 'prod',
  reasons: [],
  bundleHash: 'b'.repeat(64),
  inputHash: 'a'.repeat(64),
  durationMs: 0.1,
  decidedAt: '2025-11-22T09:06:01.000Z',
  ...overrides,
});

describe('AuthorizeGuard', () => {
  const request: AuthorizableRequest = {
    principal,
    params: { org: 'acme', project: 'payments', env: 'prod', id: 'p-1' },
  };
  let decide: jest.Mock<Promise<PolicyDecision>, [PolicyRequest]>;
  let guard: AuthorizeGuard;

  beforeEach(() => {
    decide = jest.fn<Promise<PolicyDecision>, [PolicyRequest]>();
    guard = new AuthorizeGuard(new Reflector(), strictMock<PolicyGate>({ decide }));
  });

  it('lets a permitted request through, asking rf.authz with the route scope', async () => {
    decide.mockResolvedValue(decided({}));
    await expect(guard.canActivate(contextFor('start', request))).resolves.toBe(true);
    expect(decide).toHaveBeenCalledTimes(1);
    expect(decide.mock.calls[0]![0]).toMatchObject({
      policy: 'rf.authz',
      action: 'remediation.start',
      actor: { kind: 'user', id: 'u-1' },
      resource: { kind: 'remediation', id: 'p-1' },
      input: { resource: { kind: 'remediation', id: 'p-1', org: 'acme', project: 'payments', env: 'prod' } },
    });
  });

  it('uses the resource resolver of the route', async () => {
    decide.mockResolvedValue(decided({}));
    await guard.canActivate(contextFor('promote', request));
    expect(decide.mock.calls[0]![0].resource).toEqual({ kind: 'image', id: 'img-1' });
  });

  it('refuses a deny with the decision id and reasons', async () => {
    decide.mockResolvedValue(decided({ result: 'deny', permitted: false, reasons: ['no grant'] }));
    const refusal = guard.canActivate(contextFor('start', request));
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenException);
    await expect(refusal).rejects.toMatchObject({
      response: { status: 403, code: 'POLICY.DENIED', decisionId: 'd-1', reasons: ['no grant'] },
    });
  });

  it('tells a needs_approval apart', async () => {
    decide.mockResolvedValue(decided({ result: 'needs_approval', permitted: false, reasons: ['risky'] }));
    await expect(guard.canActivate(contextFor('start', request))).rejects.toMatchObject({
      response: { code: 'POLICY.APPROVAL_REQUIRED' },
    });
  });

  it('answers 503 when the decision cannot be recorded', async () => {
    decide.mockRejectedValue(new PolicyError('POLICY.RECORD_FAILED', 'db down'));
    await expect(guard.canActivate(contextFor('start', request))).rejects.toBeInstanceOf(
      ServiceUnavailableException,
    );
  });

  it('skips public routes without asking the gate', async () => {
    await expect(guard.canActivate(contextFor('health', {}))).resolves.toBe(true);
    expect(decide).not.toHaveBeenCalled();
  });

  it.each([
    ['a route that is neither authorised nor public', 'unguarded', request, 'http', ForbiddenException],
    ['a request without principal', 'start', { params: request.params }, 'http', UnauthorizedException],
    ['a route without an org in scope', 'start', { principal, params: {} }, 'http', ForbiddenException],
    ['a non-HTTP context', 'start', request, 'rpc', ForbiddenException],
  ] as const)('refuses %s', async (_, handler, req, type, exception) => {
    await expect(guard.canActivate(contextFor(handler, req, type))).rejects.toBeInstanceOf(exception);
    expect(decide).not.toHaveBeenCalled();
  });
});

describe('resourceFromParams', () => {
  it('takes the kind from the action and the scope from the route', () => {
    expect(resourceFromParams('image.promote')({ params: { org: 'acme', env: 'prod' } })).toEqual({
      kind: 'image',
      id: 'prod',
      org: 'acme',
      env: 'prod',
    });
    expect(resourceFromParams('apikey.manage')({ params: { org: 'acme' } })).toEqual({
      kind: 'apikey',
      id: 'acme',
      org: 'acme',
    });
    expect(resourceFromParams('apikey.manage')({})).toBeUndefined();
  });
});
