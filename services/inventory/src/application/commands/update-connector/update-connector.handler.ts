import type { ConnectorConfiguration } from '../../../domain/connector/connector-configuration.entity';
import { InventoryError } from '../../../domain/inventory.error';
import type { ConnectorKindRegistry } from '../../connectors/connector-kind.registry';
import type { Clock } from '../../ports/clock.port';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { UpdateConnectorCommand } from './update-connector.command';

export class UpdateConnectorHandler {
  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly kinds: ConnectorKindRegistry,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateConnectorCommand): Promise<ConnectorConfiguration> {
    const current = await this.connectors.get(command.organisation, command.id);
    if (!current) throw connectorNotFound(command.id);
    const { changes } = command;
    const merged = {
      kind: current.kind,
      settings: changes.settings ?? current.settings,
      credentials: changes.credentials ?? current.credentials,
      schedule: changes.schedule === undefined ? current.schedule : changes.schedule,
    };
    const settings = this.kinds.validate(merged);
    const updated: ConnectorConfiguration = {
      ...current,
      ...merged,
      settings,
      credentials: { ...merged.credentials },
      name: changes.name ?? current.name,
      enabled: changes.enabled ?? current.enabled,
      updatedAt: this.clock.now(),
    };
    if (!(await this.connectors.update(updated))) throw connectorNotFound(command.id);
    return updated;
  }
}

export function connectorNotFound(id: string): InventoryError {
  return new InventoryError('INVENTORY.CONNECTOR_NOT_FOUND', `No connector ${id}`, {
    metadata: { connectorId: id },
  });
}
