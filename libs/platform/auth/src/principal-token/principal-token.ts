/** The header carrying the principal the gateway authenticated, as a short-lived signed JWT. */
export const PRINCIPAL_HEADER = 'x-rf-principal';
export const PRINCIPAL_TOKEN_ISSUER = 'rf-gateway';
export const PRINCIPAL_TOKEN_ALGORITHM = 'EdDSA';
/** Long enough for one forwarded request, short enough that a leaked header is soon worthless. */
export const PRINCIPAL_TOKEN_TTL_SECONDS = 60;

export function principalTokenAudience(service: string): string {
  return `rf-${service}`;
}

/**
 * The header carrying the caller's principal signed for another service the target calls on the
 * caller's behalf (e.g. `x-rf-principal-for-drift` on an evidence-pack request to the ledger). The
 * target passes it on as that service's `x-rf-principal`, so the other service authorises the caller,
 * not the target.
 */
export function delegatedPrincipalHeader(service: string): string {
  return `x-rf-principal-for-${service}`;
}
