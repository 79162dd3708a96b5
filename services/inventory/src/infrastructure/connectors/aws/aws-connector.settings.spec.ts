import { awsConnectorSettingsSchema } from './aws-connector.settings';

describe('awsConnectorSettingsSchema', () => {
  it('accepts a role, regions and policy overrides, and fills the defaults', () => {
    const settings = awsConnectorSettingsSchema.parse({
      regions: ['eu-west-1', 'us-east-1'],
      roleArn: 'arn:aws:iam::123456789012:role/rf-inventory-reader',
      callPolicy: { maxAttempts: 3 },
    });
    expect(settings).toMatchObject({ pageSize: 1000, roleSessionName: 'resilience-fabric-inventory' });
  });

  it('lists every problem of bad settings', () => {
    const result = awsConnectorSettingsSchema.safeParse({
      regions: ['Ireland'],
      roleArn: 'role/reader',
      pageSize: 2,
      secretAccessKey: 'inline secrets are refused',
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.') || issue.code);
    expect(paths).toEqual(expect.arrayContaining(['regions.0', 'roleArn', 'pageSize', 'unrecognized_keys']));
  });
});
