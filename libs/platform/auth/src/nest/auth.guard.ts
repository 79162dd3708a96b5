import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AUTHORIZE_METADATA,
  type AuthorizeRule,
  buildAuthorizationRequest,
  POLICY_GATE,
  type PolicyDecision,
  type PolicyGate,
  PUBLIC_METADATA,
} from '@rf/platform-policy';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthError } from '../auth.error';
import { type AuthenticatedPrincipal, scopesAllow } from '../authenticated-principal';
import { REQUEST_AUTHENTICATOR, REQUEST_RATE_LIMITS } from './auth.tokens';
import { AUTHENTICATED_METADATA } from './authenticated.decorator';
import type { RequestAuthenticator } from './request-authenticator.port';
import type { RequestRateLimits } from './request-rate-limits';

interface GuardedRequest {
  headers: IncomingHttpHeaders;
  method?: string;
  originalUrl?: string;
  params?: Record<string, string | undefined>;
  query?: Record<string, unknown>;
  principal?: AuthenticatedPrincipal;
}

/**
 * Every HTTP route, in order: `@Public()` passes; `@Authenticated()` needs only a caller; anything not `@Authorize`d is refused; the caller
 * is authenticated (401), rate-limited per tenant and per credential (429), held to its API key's
 * scopes (403), kept inside its own organisation (404, logged), and finally authorised by the policy
 * gate with `rf.authz` (403, or 503 when no decision could be made or recorded).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    @Inject(POLICY_GATE) private readonly gate: PolicyGate,
    @Inject(REQUEST_AUTHENTICATOR) private readonly authenticator: RequestAuthenticator,
    @Optional() @Inject(REQUEST_RATE_LIMITS) private readonly limits?: RequestRateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Event handlers share the app's global guards (inheritAppConfig): they are not HTTP routes and
    // authorise their acts through the gate themselves.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_METADATA, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AuthorizeRule | undefined>(AUTHORIZE_METADATA, targets);
    const selfOnly = this.reflector.getAllAndOverride<boolean | undefined>(AUTHENTICATED_METADATA, targets);
    if (!rule && !selfOnly) {
      throw new AuthError('AUTH.ROUTE_UNGUARDED', 'this route is neither @Authorize nor @Public');
    }
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const principal = await this.authenticator.authenticate(request.headers);
    request.principal = principal;
    await this.enforceRateLimits(principal);
    if (!rule) return true;
    if (!scopesAllow(principal.scopes, rule.action)) {
      throw new AuthError('AUTH.SCOPE_MISSING', `the API key's scopes do not include ${rule.action}`, {
        metadata: { action: rule.action },
      });
    }
    const resource = rule.resource(request);
    if (!resource) throw new AuthError('AUTH.SCOPE_UNRESOLVED', `no resource scope for ${rule.action}`);
    if (resource.org !== principal.org) {
      this.logger.warn(
        {
          event: 'tenancy.cross_tenant_refused',
          principal: principal.id,
          principalOrg: principal.org,
          requestedOrg: resource.org,
          action: rule.action,
          method: request.method,
          path: request.originalUrl,
        },
        'cross-tenant access refused',
      );
      throw new AuthError('TENANCY.NOT_FOUND', 'no such resource');
    }
    let decision: PolicyDecision;
    try {
      decision = await this.gate.decide(
        buildAuthorizationRequest({ principal, action: rule.action, resource, now: new Date() }),
      );
    } catch (thrown: unknown) {
      throw new AuthError('AUTH.POLICY_UNAVAILABLE', 'the authorisation could not be decided or recorded', {
        cause: thrown,
      });
    }
    if (decision.permitted) return true;
    throw new AuthError(
      decision.result === 'needs_approval' ? 'AUTH.APPROVAL_REQUIRED' : 'AUTH.POLICY_DENIED',
      decision.reasons.join('; ') || `${rule.action} is not allowed`,
      { metadata: { action: rule.action, decisionId: decision.decisionId, reasons: decision.reasons } },
    );
  }

  private async enforceRateLimits(principal: AuthenticatedPrincipal): Promise<void> {
    if (!this.limits) return;
    const outcome = await this.limits.limiter.consume([
      { key: `tenant:${principal.org}`, limit: this.limits.perTenant },
      { key: `token:${principal.credentialId ?? principal.id}`, limit: this.limits.perToken },
    ]);
    if (outcome.allowed) return;
    const scope = outcome.limitedBy?.startsWith('tenant:') ? 'organisation' : 'credential';
    throw new AuthError('LIMIT.RATE_LIMITED', `rate limit of this ${scope} exceeded`, {
      metadata: { retryAfterSeconds: outcome.retryAfterSeconds, limit: scope },
    });
  }
}
