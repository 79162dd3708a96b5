import { ClientSecretCredential, DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { azureConnectorSettingsSchema } from './azure-connector.settings';
import { azureTokenCredential } from './azure-credential.factory';

describe('azureTokenCredential', () => {
  const principal = {
    type: 'servicePrincipal' as const,
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
  };

  it('builds the credential of each auth type', () => {
    expect(azureTokenCredential(principal, { clientSecret: 's3cret' })).toBeInstanceOf(
      ClientSecretCredential,
    );
    expect(azureTokenCredential({ type: 'managedIdentity' }, undefined)).toBeInstanceOf(
      ManagedIdentityCredential,
    );
    expect(azureTokenCredential({ type: 'default' }, undefined)).toBeInstanceOf(DefaultAzureCredential);
  });

  it('refuses a service principal without its resolved secret, naming only the credential', () => {
    expect(() => azureTokenCredential(principal, undefined)).toThrow(
      expect.objectContaining({
        code: 'INVENTORY.CONNECTOR_AUTH_FAILED',
        metadata: { credential: 'clientSecret' },
      }) as Error,
    );
  });

  it('settings default to the default credential chain and refuse inline secrets', () => {
    const parsed = azureConnectorSettingsSchema.parse({
      subscriptions: ['00000000-0000-4000-8000-000000000001'],
    });
    expect(parsed.auth).toEqual({ type: 'default' });
    expect(
      azureConnectorSettingsSchema.safeParse({
        subscriptions: ['00000000-0000-4000-8000-000000000001'],
        auth: { ...principal, clientSecret: 'inline' },
      }).success,
    ).toBe(false);
  });
});
