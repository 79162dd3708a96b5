import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { buildAuthorizationRequest } from '../authorization-input.builder';
import type { PolicyDecision } from '../policy-decision.types';
import type { PolicyGate } from '../policy-gate';
import { PolicyError } from '../policy.error';
import { POLICY_GATE } from '../policy.tokens';
import {
  type AuthorizableRequest,
  AUTHORIZE_METADATA,
  type AuthorizeRule,
  PUBLIC_METADATA,
} from './authorize.decorator';

/**
 * Enforces `@Authorize` on HTTP routes through the policy gate, and refuses any route that is
 * neither `@Authorize`d nor `@Public()`. This is the HTTP transport: policy outcomes become
 * problem+json 401/403/503 here and nowhere else.
 */
@Injectable()
export class AuthorizeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(POLICY_GATE) private readonly gate: PolicyGate,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AuthorizeRule | undefined>(AUTHORIZE_METADATA, targets);
    if (!rule)
      throw new ForbiddenException(problem(403, 'POLICY.DENIED', 'route is neither @Authorize nor @Public'));
    if (context.getType() !== 'http') {
      throw new ForbiddenException(problem(403, 'POLICY.DENIED', 'AuthorizeGuard only guards HTTP routes'));
    }
    const request = context.switchToHttp().getRequest<AuthorizableRequest>();
    if (!request.principal)
      throw new UnauthorizedException(problem(401, 'POLICY.DENIED', 'no authenticated principal'));
    const resource = rule.resource(request);
    if (!resource) {
      throw new ForbiddenException(problem(403, 'POLICY.DENIED', `no resource scope for ${rule.action}`));
    }
    let decision: PolicyDecision;
    try {
      decision = await this.gate.decide(
        buildAuthorizationRequest({
          principal: request.principal,
          action: rule.action,
          resource,
          now: new Date(),
          ...(request.policyExceptions ? { exceptions: request.policyExceptions } : {}),
        }),
      );
    } catch (thrown) {
      const error = PolicyError.from(thrown, 'POLICY.RECORD_FAILED', 'authorisation failed');
      throw new ServiceUnavailableException(problem(503, error.code, error.message));
    }
    if (decision.permitted) return true;
    const code = decision.result === 'needs_approval' ? 'POLICY.APPROVAL_REQUIRED' : 'POLICY.DENIED';
    throw new ForbiddenException({
      ...problem(403, code, decision.reasons.join('; ') || `${rule.action} is not allowed`),
      decisionId: decision.decisionId,
      reasons: decision.reasons,
    });
  }
}

function problem(status: number, code: string, detail: string) {
  return {
    type: `https://resiliencefabric.io/problems/${code.toLowerCase().replace('.', '/').replaceAll('_', '-')}`,
    title:
      status === 401 ? 'Unauthenticated' : status === 503 ? 'Policy gate unavailable' : 'Forbidden by policy',
    status,
    code,
    detail,
  };
}
