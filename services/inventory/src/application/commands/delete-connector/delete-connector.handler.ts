import { InventoryError } from '../../../domain/inventory.error';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { ScanLock } from '../../ports/scan-lock.port';
import { connectorNotFound } from '../update-connector/update-connector.handler';
import type { DeleteConnectorCommand } from './delete-connector.command';

export class DeleteConnectorHandler {
  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly lock: ScanLock,
  ) {}

  /** Refused while the connector is being scanned, so no scan outlives its configuration. */
  async execute(command: DeleteConnectorCommand): Promise<void> {
    // Another organisation's connector is not found before its scan lock is even looked at.
    if (!(await this.connectors.get(command.organisation, command.id))) throw connectorNotFound(command.id);
    const lease = await this.lock.tryAcquire(command.id);
    if (!lease) {
      throw new InventoryError(
        'INVENTORY.SCAN_ALREADY_RUNNING',
        `Connector ${command.id} is being scanned; delete it once the scan ends`,
        { retriable: true, metadata: { connectorId: command.id } },
      );
    }
    try {
      if (!(await this.connectors.delete(command.organisation, command.id)))
        throw connectorNotFound(command.id);
    } finally {
      await lease.release();
    }
  }
}
