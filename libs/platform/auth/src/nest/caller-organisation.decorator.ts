import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';

/** The organisation of an authenticated request's caller: the tenant every query of the request is scoped to. */
export function callerOrganisationOf(request: object): string {
  const org = (request as { readonly principal?: Partial<AuthenticatedPrincipal> }).principal?.org;
  if (typeof org !== 'string' || org.length === 0) {
    throw new AuthError('AUTH.CREDENTIALS_MISSING', 'the request has no authenticated caller');
  }
  return org;
}

/**
 * Injects the caller's organisation (`request.principal.org`, set by the AuthGuard) into a route
 * handler. Never taken from the body or the query: a request cannot name another tenant's records.
 */
export const CallerOrganisation = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  callerOrganisationOf(context.switchToHttp().getRequest<{ principal?: AuthenticatedPrincipal }>()),
);
