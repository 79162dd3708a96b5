import { randomUUID } from 'node:crypto';
import type { ConnectorConfiguration } from '../../../domain/connector/connector-configuration.entity';
import type { ConnectorKindRegistry } from '../../connectors/connector-kind.registry';
import type { Clock } from '../../ports/clock.port';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { CreateConnectorCommand } from './create-connector.command';

export class CreateConnectorHandler {
  constructor(
    private readonly connectors: ConnectorConfigurationRepository,
    private readonly kinds: ConnectorKindRegistry,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateConnectorCommand): Promise<ConnectorConfiguration> {
    const { input } = command;
    const settings = this.kinds.validate(input);
    const now = this.clock.now();
    const configuration: ConnectorConfiguration = {
      id: randomUUID(),
      organisation: command.organisation,
      kind: input.kind,
      name: input.name,
      settings,
      credentials: { ...input.credentials },
      schedule: input.schedule,
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
    };
    await this.connectors.insert(configuration);
    return configuration;
  }
}
