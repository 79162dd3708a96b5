/** The header carrying the principal the gateway authenticated, as a short-lived signed JWT. */
export const PRINCIPAL_HEADER = 'x-rf-principal';
export const PRINCIPAL_TOKEN_ISSUER = 'rf-gateway';
export const PRINCIPAL_TOKEN_ALGORITHM = 'EdDSA';
/** Long enough for one forwarded request, short enough that a leaked header is soon worthless. */
export const PRINCIPAL_TOKEN_TTL_SECONDS = 60;

export function principalTokenAudience(service: string): string {
  return `rf-${service}`;
}
