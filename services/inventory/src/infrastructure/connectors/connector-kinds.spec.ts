import { ConnectorKindRegistry } from '../../application/connectors/connector-kind.registry';
import type { CredentialResolver } from '../../application/ports/credential-resolver.port';
import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';
import { InventoryError } from '../../domain/inventory.error';
import { AwsConnector } from './aws/aws.connector';
import { AzureConnector } from './azure/azure.connector';
import { CONNECTOR_KINDS } from './connector-kinds';
import { GcpConnector } from './gcp/gcp.connector';
import { VsphereConnector } from './vsphere/vsphere.connector';

const registry = new ConnectorKindRegistry(CONNECTOR_KINDS);
const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
const PRINCIPAL = {
  type: 'servicePrincipal',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
};
const VCENTER = { name: 'vc-dublin-01', url: 'https://vc01.example.com', username: 'svc-inventory' };

function fields(kind: string, settings: object, credentials: Record<string, string> = {}): string[] {
  try {
    registry.validate({ kind, settings: settings as Record<string, unknown>, credentials, schedule: null });
  } catch (error: unknown) {
    if (!(error instanceof InventoryError)) throw error;
    return (error.metadata['errors'] as { field: string }[]).map((e) => e.field).sort();
  }
  return [];
}

describe('the cloud connector kinds', () => {
  it('are all configurable', () => {
    expect(registry.kinds()).toEqual(['aws', 'azure', 'file', 'gcp', 'simulated', 'vsphere']);
  });

  it.each([
    ['aws', { regions: ['eu-west-1'] }, {}],
    ['aws', { regions: ['eu-west-1'] }, { accessKeyId: 'env:AWS_KEY', secretAccessKey: 'env:AWS_SECRET' }],
    ['azure', { subscriptions: [SUBSCRIPTION], auth: { type: 'managedIdentity' } }, {}],
    [
      'azure',
      { subscriptions: [SUBSCRIPTION], auth: PRINCIPAL },
      { clientSecret: 'file:/run/secrets/azure-client-secret' },
    ],
    ['gcp', { projects: ['rf-prod-shop'] }, {}],
    ['gcp', { projects: ['rf-prod-shop'] }, { credentialsJson: 'file:/run/secrets/gcp.json' }],
    ['vsphere', { vcenters: [VCENTER] }, { password: 'env:VC_PASSWORD' }],
  ] as const)('accept minimal %s settings %j with credentials %j', (kind, settings, credentials) => {
    expect(fields(kind, settings, credentials)).toEqual([]);
  });

  it.each([
    ['aws', { regions: ['eu-west-1'], secretAccessKey: 'x' }],
    ['aws', { regions: ['eu-west-1'], credentialsRef: 'file:/run/secrets/aws-reader' }],
    ['azure', { subscriptions: [SUBSCRIPTION], clientSecret: 'x' }],
    ['gcp', { projects: ['rf-prod-shop'], private_key: 'x' }],
  ] as const)('refuse a secret or a secret reference in %s settings %j', (kind, settings) => {
    expect(fields(kind, settings)).toEqual(['settings']);
  });

  it('refuse an inline password in a vCenter', () => {
    expect(fields('vsphere', { vcenters: [{ ...VCENTER, password: 'x' }] }, { password: 'env:P' })).toEqual([
      'settings.vcenters.0',
    ]);
  });

  it('name the credentials the settings call for', () => {
    // Half an access key.
    expect(fields('aws', { regions: ['eu-west-1'] }, { accessKeyId: 'env:K' })).toEqual([
      'credentials.secretAccessKey',
    ]);
    expect(fields('aws', { regions: ['eu-west-1'] }, { sessionToken: 'env:T' })).toEqual([
      'credentials.accessKeyId',
      'credentials.secretAccessKey',
    ]);
    // A service principal needs its secret; a managed identity takes none.
    expect(fields('azure', { subscriptions: [SUBSCRIPTION], auth: PRINCIPAL })).toEqual([
      'credentials.clientSecret',
    ]);
    expect(
      fields(
        'azure',
        { subscriptions: [SUBSCRIPTION], auth: { type: 'default' } },
        { clientSecret: 'env:S' },
      ),
    ).toEqual(['credentials.clientSecret']);
    // One password per distinct vCenter account.
    expect(
      fields(
        'vsphere',
        {
          vcenters: [
            VCENTER,
            {
              name: 'vc-2',
              url: 'https://vc02.example.com',
              username: 'svc',
              passwordCredential: 'vc2Password',
            },
          ],
        },
        { password: 'env:P' },
      ),
    ).toEqual(['credentials.vc2Password']);
    expect(fields('gcp', { projects: ['rf-prod-shop'] }, { serviceAccount: 'env:X' })).toEqual([
      'credentials.serviceAccount',
    ]);
  });

  it('build each cloud connector with its references resolved only then', async () => {
    const resolved: string[] = [];
    const resolver: CredentialResolver = {
      resolve: (reference) => {
        resolved.push(reference.locator);
        return Promise.resolve(reference.locator === 'GCP_JSON' ? '{"type":"service_account"}' : 's3cret');
      },
    };
    const configuration = (
      kind: string,
      settings: object,
      credentials: Record<string, string>,
    ): ConnectorConfiguration => ({
      id: '6f1c3f5e-2d1b-4a8e-9c7d-5b4a3f2e1d0c',
      organisation: 'acme',
      kind,
      name: kind,
      settings: registry.validate({
        kind,
        settings: settings as Record<string, unknown>,
        credentials,
        schedule: null,
      }),
      credentials,
      schedule: null,
      enabled: true,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    });

    const built = await Promise.all([
      registry.instantiate(
        configuration('aws', { regions: ['eu-west-1'] }, { accessKeyId: 'env:K', secretAccessKey: 'env:S' }),
        resolver,
      ),
      registry.instantiate(
        configuration('vsphere', { vcenters: [VCENTER] }, { password: 'env:P' }),
        resolver,
      ),
      registry.instantiate(
        configuration('azure', { subscriptions: [SUBSCRIPTION], auth: PRINCIPAL }, { clientSecret: 'env:C' }),
        resolver,
      ),
      registry.instantiate(
        configuration('gcp', { projects: ['rf-prod-shop'] }, { credentialsJson: 'env:GCP_JSON' }),
        resolver,
      ),
    ]);

    expect(built.map((c) => c.constructor)).toEqual([
      AwsConnector,
      VsphereConnector,
      AzureConnector,
      GcpConnector,
    ]);
    expect(built.map((c) => c.kind)).toEqual(['aws', 'vsphere', 'azure', 'gcp']);
    expect(resolved.sort()).toEqual(['C', 'GCP_JSON', 'K', 'P', 'S']);
  });
});
