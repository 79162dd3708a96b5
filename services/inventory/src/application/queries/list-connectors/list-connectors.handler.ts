import type { ConnectorConfiguration } from '../../../domain/connector/connector-configuration.entity';
import { decodeCursor, type Page, pageOf } from '../../pagination/page-cursor';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';

export class ListConnectorsHandler {
  constructor(private readonly connectors: ConnectorConfigurationRepository) {}

  async execute(query: {
    organisation: string;
    cursor?: string;
    limit: number;
  }): Promise<Page<ConnectorConfiguration>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
    const rows = await this.connectors.list(query.organisation, after, query.limit + 1);
    return pageOf(rows, query.limit, (c) => [c.id]);
  }
}
