import type { ConnectorKindDefinition } from '../../application/connectors/connector-kind.definition';
import { AWS_CONNECTOR_KIND } from './aws/aws.connector-kind';
import { AZURE_CONNECTOR_KIND } from './azure/azure.connector-kind';
import { FILE_CONNECTOR_KIND } from './file/file.connector-kind';
import { GCP_CONNECTOR_KIND } from './gcp/gcp.connector-kind';
import { SIMULATED_CONNECTOR_KIND } from './simulated/simulated.connector-kind';
import { VSPHERE_CONNECTOR_KIND } from './vsphere/vsphere.connector-kind';

/** Every connector kind the service can configure: a new kind is one line here. */
export const CONNECTOR_KINDS: readonly ConnectorKindDefinition[] = [
  SIMULATED_CONNECTOR_KIND,
  FILE_CONNECTOR_KIND,
  AWS_CONNECTOR_KIND,
  VSPHERE_CONNECTOR_KIND,
  AZURE_CONNECTOR_KIND,
  GCP_CONNECTOR_KIND,
];
