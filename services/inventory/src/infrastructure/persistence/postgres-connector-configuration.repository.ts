import { isUniqueViolation } from '@rf/platform-persistence';
import type { DataSource } from 'typeorm';
import type {
  ConnectorConfigurationRepository,
  SchedulableConnector,
} from '../../application/ports/connector-configuration.repository.port';
import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';
import { InventoryError } from '../../domain/inventory.error';

interface ConnectorRow {
  connector_id: string;
  organisation: string;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  credentials: Record<string, string>;
  schedule: string | null;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  scheduled_slot: Date | null;
}

const COLUMNS =
  'connector_id, kind, name, settings, credentials, schedule, enabled, created_at, updated_at, organisation';

function toConfiguration(row: ConnectorRow): ConnectorConfiguration {
  return {
    id: row.connector_id,
    organisation: row.organisation,
    kind: row.kind,
    name: row.name,
    settings: row.settings,
    credentials: row.credentials,
    schedule: row.schedule,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function values(c: ConnectorConfiguration): unknown[] {
  return [
    c.id,
    c.kind,
    c.name,
    JSON.stringify(c.settings),
    JSON.stringify(c.credentials),
    c.schedule,
    c.enabled,
    c.createdAt.toISOString(),
    c.updatedAt.toISOString(),
    c.organisation,
  ];
}

export class PostgresConnectorConfigurationRepository implements ConnectorConfigurationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    organisation: string,
    after: string | undefined,
    limit: number,
  ): Promise<ConnectorConfiguration[]> {
    const rows = await this.dataSource.query<ConnectorRow[]>(
      after === undefined
        ? `SELECT ${COLUMNS} FROM connectors WHERE organisation = $2 ORDER BY connector_id LIMIT $1`
        : `SELECT ${COLUMNS} FROM connectors WHERE organisation = $2 AND connector_id > $3::uuid
           ORDER BY connector_id LIMIT $1`,
      after === undefined ? [limit, organisation] : [limit, organisation, after],
    );
    return rows.map(toConfiguration);
  }

  async get(organisation: string, id: string): Promise<ConnectorConfiguration | undefined> {
    const [row] = await this.dataSource.query<ConnectorRow[]>(
      `SELECT ${COLUMNS} FROM connectors WHERE connector_id = $1 AND organisation = $2`,
      [id, organisation],
    );
    return row === undefined ? undefined : toConfiguration(row);
  }

  async insert(configuration: ConnectorConfiguration): Promise<void> {
    await this.nameClashAware(configuration.name, () =>
      this.dataSource.query(
        `INSERT INTO connectors (${COLUMNS}) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10)`,
        values(configuration),
      ),
    );
  }

  async insertIfNoneConfigured(configuration: ConnectorConfiguration): Promise<boolean> {
    // Replicas starting together race on the same id: one insert wins, the others do nothing.
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO connectors (${COLUMNS})
       SELECT $1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10
       WHERE NOT EXISTS (SELECT 1 FROM connectors)
       ON CONFLICT DO NOTHING RETURNING connector_id`,
      values(configuration),
    );
    return rows.length === 1;
  }

  async update(configuration: ConnectorConfiguration): Promise<boolean> {
    const [, affected] = await this.nameClashAware(configuration.name, () =>
      this.dataSource.query<[unknown[], number]>(
        `UPDATE connectors SET kind = $2, name = $3, settings = $4::jsonb, credentials = $5::jsonb,
           schedule = $6, enabled = $7, created_at = $8, updated_at = $9,
           -- A new schedule starts from now, not from a slot claimed under the old one.
           scheduled_slot = CASE WHEN schedule IS DISTINCT FROM $6 THEN NULL ELSE scheduled_slot END
         WHERE connector_id = $1 AND organisation = $10`,
        values(configuration),
      ),
    );
    return affected === 1;
  }

  async delete(organisation: string, id: string): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM connectors WHERE connector_id = $1 AND organisation = $2`,
      [id, organisation],
    );
    return affected === 1;
  }

  async schedulable(): Promise<SchedulableConnector[]> {
    const rows = await this.dataSource.query<ConnectorRow[]>(
      `SELECT ${COLUMNS}, scheduled_slot FROM connectors WHERE enabled AND schedule IS NOT NULL`,
    );
    return rows.map((row) => ({ configuration: toConfiguration(row), scheduledSlot: row.scheduled_slot }));
  }

  async claimSlot(id: string, slot: Date): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE connectors SET scheduled_slot = $2
       WHERE connector_id = $1 AND enabled AND (scheduled_slot IS NULL OR scheduled_slot < $2)`,
      [id, slot.toISOString()],
    );
    return affected === 1;
  }

  private async nameClashAware<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error: unknown) {
      if (isUniqueViolation(error)) {
        throw new InventoryError(
          'INVENTORY.CONNECTOR_NAME_TAKEN',
          `A connector of this organisation is already named ${name}`,
          {
            metadata: { errors: [{ field: 'name', message: 'is already used by another connector' }] },
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}
