import type { TokenCredential } from '@azure/identity';
import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { InventoryError } from '../../../domain/inventory.error';
import type { AzureAuthSettings } from './azure-connector.settings';

/** The resolved secret of a service principal; held only while its credential is built. */
export interface AzureClientSecret {
  readonly clientSecret: string;
}

/**
 * The token credential for a connector's auth settings: a service principal with its resolved
 * client secret, a (user-assigned) managed identity, or the default chain (environment, workload
 * identity, managed identity, Azure CLI).
 */
export function azureTokenCredential(
  auth: AzureAuthSettings,
  secret: AzureClientSecret | undefined,
  authorityHost?: string,
): TokenCredential {
  switch (auth.type) {
    case 'servicePrincipal':
      if (secret === undefined || secret.clientSecret.length === 0) {
        throw new InventoryError(
          'INVENTORY.CONNECTOR_AUTH_FAILED',
          'the service principal secret is missing',
          {
            metadata: { credential: 'clientSecret' },
          },
        );
      }
      return new ClientSecretCredential(
        auth.tenantId,
        auth.clientId,
        secret.clientSecret,
        authorityHost === undefined ? {} : { authorityHost },
      );
    case 'managedIdentity':
      return auth.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential(auth.clientId);
    case 'default':
      return new DefaultAzureCredential();
  }
}
