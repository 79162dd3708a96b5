import {
  ClientSecretCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import { readFileSync } from 'node:fs';
import type { AzureExecutorAuth } from '../../../remediation.config';

/**
 * The executor's Azure credential, with the same choices as the inventory connector: a service
 * principal (its secret read from a mounted file, never from the config), a (user-assigned) managed
 * identity, or the default chain (environment, workload identity, managed identity, Azure CLI).
 */
export function azureExecutorCredential(auth: AzureExecutorAuth): TokenCredential {
  switch (auth.type) {
    case 'servicePrincipal':
      return new ClientSecretCredential(
        auth.tenantId,
        auth.clientId,
        readFileSync(auth.clientSecretFile, 'utf8').trim(),
      );
    case 'managedIdentity':
      return auth.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential(auth.clientId);
    case 'default':
      return new DefaultAzureCredential();
  }
}
