import type { Role } from '@rf/platform-policy';
import { DEVELOPMENT_PRINCIPAL_SIGNING_KEY } from '../principal-token/development-principal-keys';
import { PRINCIPAL_HEADER } from '../principal-token/principal-token';
import { PrincipalTokenSigner } from '../principal-token/principal-token.signer';

export interface ForwardedCaller {
  readonly role: Role;
  readonly org?: string;
  readonly id?: string;
}

const signer = new PrincipalTokenSigner(DEVELOPMENT_PRINCIPAL_SIGNING_KEY);

/**
 * The header the gateway adds for a person with one organisation-wide grant, signed with the
 * development gateway key every service trusts outside production. Signed per call: the token
 * lives 60 s.
 */
export async function forwardedPrincipalHeader(
  service: string,
  caller: ForwardedCaller,
): Promise<Record<string, string>> {
  const org = caller.org ?? 'acme';
  const token = await signer.sign(
    {
      kind: 'user',
      id: caller.id ?? `${caller.role}-1`,
      org,
      authMethod: 'oidc',
      grants: [{ role: caller.role, org }],
    },
    service,
  );
  return { [PRINCIPAL_HEADER]: token };
}
