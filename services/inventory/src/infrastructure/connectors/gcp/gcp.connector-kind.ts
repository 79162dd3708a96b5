import { defineConnectorKind } from '../../../application/connectors/connector-kind.definition';
import { InventoryError } from '../../../domain/inventory.error';
import { gcpConnectorSettingsSchema } from './gcp-connector.settings';
import { GcpConnector } from './gcp.connector';

function credentialsJson(text: string): Readonly<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    // The text is a secret: only the credential's name is reported.
    throw new InventoryError(
      'INVENTORY.CONNECTOR_AUTH_FAILED',
      'credential credentialsJson is not a JSON object',
      {
        metadata: { credential: 'credentialsJson' },
      },
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * Image families and managed instance group instances across projects. The optional credential
 * `credentialsJson` holds a service-account key or a Workload Identity Federation configuration;
 * without it, Application Default Credentials are used (GKE Workload Identity, the metadata server).
 */
export const GCP_CONNECTOR_KIND = defineConnectorKind({
  kind: 'gcp',
  description: 'GCP image families and managed instance group instances',
  settings: gcpConnectorSettingsSchema,
  requiredCredentials: [],
  optionalCredentials: ['credentialsJson'],
  create: ({ id, settings, credentials }) =>
    new GcpConnector({
      id,
      settings,
      auth: () =>
        Promise.resolve(
          credentials.has('credentialsJson')
            ? { credentials: credentialsJson(credentials.reveal('credentialsJson')) }
            : undefined,
        ),
    }),
});
