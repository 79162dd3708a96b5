import { CLOUD_CONNECTOR_SETTINGS_SCHEMAS, isCloudConnectorKind } from './cloud-connector-settings.schemas';

describe('CLOUD_CONNECTOR_SETTINGS_SCHEMAS', () => {
  it.each([
    ['aws', { regions: ['eu-west-1'], credentialsRef: 'vault:kv/aws#reader' }],
    ['azure', { subscriptions: ['00000000-0000-4000-8000-000000000001'], auth: { type: 'managedIdentity' } }],
    ['gcp', { projects: ['rf-prod-shop'] }],
    [
      'vsphere',
      {
        vcenters: [{ name: 'vc-dublin-01', url: 'https://vc01.example.com', credentialsRef: 'vault:kv/vc' }],
      },
    ],
  ] as const)('accepts minimal %s settings', (kind, settings) => {
    expect(CLOUD_CONNECTOR_SETTINGS_SCHEMAS[kind].safeParse(settings).success).toBe(true);
  });

  it.each([
    ['aws', { regions: ['eu-west-1'], secretAccessKey: 'x' }],
    ['azure', { subscriptions: ['00000000-0000-4000-8000-000000000001'], clientSecret: 'x' }],
    ['gcp', { projects: ['rf-prod-shop'], private_key: 'x' }],
    ['vsphere', { vcenters: [{ name: 'vc', url: 'https://vc01.example.com', password: 'x' }] }],
  ] as const)('refuses an inline secret in %s settings', (kind, settings) => {
    const result = CLOUD_CONNECTOR_SETTINGS_SCHEMAS[kind].safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.code)).toContain('unrecognized_keys');
  });

  it('knows the cloud kinds only', () => {
    expect(['aws', 'azure', 'gcp', 'vsphere', 'simulated', 'toString'].filter(isCloudConnectorKind)).toEqual([
      'aws',
      'azure',
      'gcp',
      'vsphere',
    ]);
  });
});
