import {
  type AuthClient,
  ExternalAccountClient,
  type ExternalAccountClientOptions,
  JWT,
} from 'google-auth-library';
import { InventoryError } from '../../../domain/inventory.error';

export const COMPUTE_READ_ONLY_SCOPE = 'https://www.googleapis.com/auth/compute.readonly';

const GOOGLE_URL_KEYS = ['token_url', 'service_account_impersonation_url', 'token_info_url'];

function isGoogleUrl(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'https:' &&
    (url.hostname === 'googleapis.com' || url.hostname.endsWith('.googleapis.com'))
  );
}

function text(json: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = json[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The auth client for resolved credentials JSON, built by its declared type only: a service-account
 * key (JWT) or a Workload Identity Federation configuration (external account). Any other type is
 * refused rather than handed to a generic loader that would trust whatever the JSON names.
 */
export function gcpAuthClient(credentials: Readonly<Record<string, unknown>>): AuthClient {
  switch (credentials['type']) {
    case 'service_account': {
      const email = text(credentials, 'client_email');
      const key = text(credentials, 'private_key');
      if (email === undefined || key === undefined) break;
      return new JWT({
        email,
        key,
        keyId: text(credentials, 'private_key_id'),
        scopes: [COMPUTE_READ_ONLY_SCOPE],
      });
    }
    case 'external_account': {
      // The configuration names the URLs that will receive the workload's tokens: Google's only.
      if (!GOOGLE_URL_KEYS.every((key) => isGoogleUrl(credentials[key]))) break;
      const client = ExternalAccountClient.fromJSON({
        ...(credentials as unknown as ExternalAccountClientOptions),
        scopes: [COMPUTE_READ_ONLY_SCOPE],
      });
      if (client !== null) return client;
      break;
    }
    default:
      break;
  }
  throw new InventoryError(
    'INVENTORY.CONNECTOR_AUTH_FAILED',
    'GCP credentials must be a service-account key or a Workload Identity Federation configuration with Google token URLs',
    { metadata: { type: typeof credentials['type'] === 'string' ? credentials['type'] : null } },
  );
}
