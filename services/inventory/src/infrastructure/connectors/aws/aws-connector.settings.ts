import { z } from 'zod';
import { providerCallPolicySchema } from '../provider-call/provider-call.policy';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Non-secret settings of an AWS connector, as the API stores and validates them. */
export const awsConnectorSettingsSchema = z
  .object({
    regions: z
      .array(z.string().regex(REGION, 'must be an AWS region code such as eu-west-1'))
      .min(1)
      .max(40)
      .refine((regions) => new Set(regions).size === regions.length, 'regions must not repeat'),
    /** Role assumed with STS before listing; without it the base credentials list directly. */
    roleArn: z.string().regex(ROLE_ARN, 'must be an IAM role ARN').optional(),
    externalId: z.string().min(2).max(1224).optional(),
    roleSessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/)
      .default('resilience-fabric-inventory'),
    /** Where STS and EC2 are reached instead of the public endpoints (VPC endpoint, moto). */
    endpoint: z.url({ protocol: /^https?$/ }).optional(),
    /** DescribeInstances / DescribeImages page size (the API allows 5-1000). */
    pageSize: z.number().int().min(5).max(1000).default(1000),
    callPolicy: providerCallPolicySchema.optional(),
  })
  .strict();

export type AwsConnectorSettings = z.output<typeof awsConnectorSettingsSchema>;
export type AwsConnectorSettingsInput = z.input<typeof awsConnectorSettingsSchema>;

/** Resolved base credentials, handed over at call time and never stored or logged by the connector. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Resolves the connector's access key at call time; undefined selects the SDK's default provider chain. */
export type AwsCredentialsResolver = (signal: AbortSignal) => Promise<AwsCredentials | undefined>;
