import type { ConnectorKindDefinition } from '../../application/connectors/connector-kind.definition';
import { FILE_CONNECTOR_KIND } from './file/file.connector-kind';
import { SIMULATED_CONNECTOR_KIND } from './simulated/simulated.connector-kind';

/** Every connector kind the service can configure: a new kind is one line here. */
export const CONNECTOR_KINDS: readonly ConnectorKindDefinition[] = [
  SIMULATED_CONNECTOR_KIND,
  FILE_CONNECTOR_KIND,
];
