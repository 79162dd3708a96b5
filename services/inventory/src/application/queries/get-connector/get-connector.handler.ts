import type { ConnectorConfiguration } from '../../../domain/connector/connector-configuration.entity';
import { connectorNotFound } from '../../commands/update-connector/update-connector.handler';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';

export class GetConnectorHandler {
  constructor(private readonly connectors: ConnectorConfigurationRepository) {}

  async execute(organisation: string, id: string): Promise<ConnectorConfiguration> {
    const configuration = await this.connectors.get(organisation, id);
    if (!configuration) throw connectorNotFound(id);
    return configuration;
  }
}
