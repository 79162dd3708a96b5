import type { z } from 'zod';
import { awsConnectorSettingsSchema } from './aws/aws-connector.settings';
import { azureConnectorSettingsSchema } from './azure/azure-connector.settings';
import { gcpConnectorSettingsSchema } from './gcp/gcp-connector.settings';
import { vsphereConnectorSettingsSchema } from './vsphere/vsphere-connector.settings';

/**
 * Settings schema per cloud connector kind, for the API to validate a connector definition before
 * storing it. Settings hold references to secrets (`credentialsRef`), never the secrets themselves:
 * every schema is strict, so an inline secret field is refused.
 */
export const CLOUD_CONNECTOR_SETTINGS_SCHEMAS = {
  aws: awsConnectorSettingsSchema,
  azure: azureConnectorSettingsSchema,
  gcp: gcpConnectorSettingsSchema,
  vsphere: vsphereConnectorSettingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type CloudConnectorKind = keyof typeof CLOUD_CONNECTOR_SETTINGS_SCHEMAS;

export function isCloudConnectorKind(kind: string): kind is CloudConnectorKind {
  return Object.hasOwn(CLOUD_CONNECTOR_SETTINGS_SCHEMAS, kind);
}
