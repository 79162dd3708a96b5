import { InventoryError } from '../../../domain/inventory.error';
import type { ConnectorKindRegistry } from '../../connectors/connector-kind.registry';
import { UnbuildableConnector } from '../../connectors/unbuildable.connector';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { Connector } from '../../ports/connector.port';
import type { CredentialResolver } from '../../ports/credential-resolver.port';
import type { ScanSupervisor } from '../../scanning/scan.supervisor';
import type { StartedScan } from '../run-scan/run-scan.handler';
import { connectorNotFound } from '../update-connector/update-connector.handler';
import type { StartScanCommand } from './start-scan.command';

export class StartScanHandler {
  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly kinds: ConnectorKindRegistry,
    private readonly credentials: CredentialResolver,
    private readonly supervisor: ScanSupervisor,
  ) {}

  /**
   * Returns once the scan holds the connector's lock and is recorded as running. Fails with
   * `INVENTORY.SCAN_ALREADY_RUNNING` when a scan of the connector runs in any process.
   */
  async execute(command: StartScanCommand): Promise<StartedScan> {
    const configuration = await this.connectors.get(command.organisation, command.connectorId);
    if (!configuration) throw connectorNotFound(command.connectorId);
    if (!configuration.enabled) {
      throw new InventoryError('INVENTORY.CONNECTOR_DISABLED', `Connector ${configuration.id} is disabled`, {
        metadata: { connectorId: configuration.id },
      });
    }
    let connector: Connector;
    try {
      connector = await this.kinds.instantiate(configuration, this.credentials);
    } catch (error: unknown) {
      // A caller hears of it at once; a schedule has no caller, so its scan records the failure.
      const platform = this.kinds.platformOf(configuration.kind);
      if (command.trigger === 'on_demand' || !(error instanceof InventoryError) || platform === undefined) {
        throw error;
      }
      connector = new UnbuildableConnector(configuration.id, platform, error);
    }
    return this.supervisor.launch(connector, configuration.organisation, command.trigger);
  }
}
