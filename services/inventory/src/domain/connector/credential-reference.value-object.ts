/**
 * Where a connector's secret lives, never the secret itself: `env:NAME` (an environment variable of
 * the inventory process) or `file:/absolute/path` (a mounted secret file: a Kubernetes Secret, or a
 * file that a secret store's agent or CSI driver writes, such as Vault Agent or the Secrets Store
 * CSI driver). Only the reference is stored, returned by the API or logged.
 */
export type CredentialScheme = 'env' | 'file';

export interface CredentialReference {
  readonly scheme: CredentialScheme;
  /** The variable name or the file path. */
  readonly locator: string;
}

const PATTERNS: Readonly<Record<CredentialScheme, RegExp>> = {
  env: /^[A-Za-z_][A-Za-z0-9_]{0,127}$/u,
  file: /^\/[^\0]{1,1023}$/u,
};

export const CREDENTIAL_REFERENCE_FORMS = 'env:NAME or file:/absolute/path';

/** The reference, or undefined when the text is not one (for example a pasted secret). */
export function parseCredentialReference(text: string): CredentialReference | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = text.slice(0, colon);
  const locator = text.slice(colon + 1);
  if (scheme !== 'env' && scheme !== 'file') return undefined;
  return PATTERNS[scheme].test(locator) ? { scheme, locator } : undefined;
}

export function formatCredentialReference(ref: CredentialReference): string {
  return `${ref.scheme}:${ref.locator}`;
}
