import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { azureConnectorSettingsSchema } from './azure-connector.settings';
import { azureTokenCredential } from './azure-credential.factory';
import { AzureConnector } from './azure.connector';

/**
 * Shared Image Gallery versions and VM scale set instances across subscriptions. A service principal
 * takes its secret from the credential `clientSecret`; a managed identity or the default chain takes
 * no credential.
 */
export const AZURE_CONNECTOR_KIND = defineConnectorKind({
  kind: 'azure',
  description: 'Azure Shared Image Gallery versions and VM scale set instances',
  settings: azureConnectorSettingsSchema,
  requiredCredentials: [],
  optionalCredentials: [],
  credentialsFor: (settings) => ({
    required: settings.auth.type === 'servicePrincipal' ? ['clientSecret'] : [],
  }),
  create: ({ id, settings, credentials }) =>
    new AzureConnector({
      id,
      settings,
      credential: () =>
        Promise.resolve(
          azureTokenCredential(
            settings.auth,
            credentials.has('clientSecret')
              ? { clientSecret: credentials.reveal('clientSecret') }
              : undefined,
            settings.authorityHost,
          ),
        ),
    }),
});
