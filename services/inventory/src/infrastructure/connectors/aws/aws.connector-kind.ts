import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { awsConnectorSettingsSchema } from './aws-connector.settings';
import { AwsConnector } from './aws.connector';

const ACCESS_KEY = ['accessKeyId', 'secretAccessKey'] as const;

/**
 * EC2 instances and owned AMIs of one AWS account, optionally through an assumed role. Credentials: an
 * access key (`accessKeyId` and `secretAccessKey`, with an optional `sessionToken`), or none for the
 * SDK's default chain (instance profile, IRSA, environment).
 */
export const AWS_CONNECTOR_KIND = defineConnectorKind({
  kind: 'aws',
  description: 'AWS EC2 instances and owned AMIs (STS AssumeRole, DescribeImages, DescribeInstances)',
  settings: awsConnectorSettingsSchema,
  requiredCredentials: [],
  optionalCredentials: [...ACCESS_KEY, 'sessionToken'],
  // Half an access key is a mistake, not a request for the default chain.
  credentialsFor: (_settings, given) =>
    ACCESS_KEY.some((name) => given.has(name)) || given.has('sessionToken')
      ? { required: ACCESS_KEY }
      : { required: [] },
  create: ({ id, settings, credentials }) =>
    new AwsConnector({
      id,
      settings,
      credentials: () =>
        Promise.resolve(
          credentials.has('accessKeyId')
            ? {
                accessKeyId: credentials.reveal('accessKeyId'),
                secretAccessKey: credentials.reveal('secretAccessKey'),
                ...(credentials.has('sessionToken')
                  ? { sessionToken: credentials.reveal('sessionToken') }
                  : {}),
              }
            : undefined,
        ),
    }),
});
