import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';

/** A scheduled connector and the cron slot a scheduler last claimed for it. */
export interface SchedulableConnector {
  readonly configuration: ConnectorConfiguration;
  readonly scheduledSlot: Date | null;
}

/** Stored connector configurations. Credentials are references; no method ever sees a secret. */
export interface ConnectorConfigurationRepository {
  /** Ordered by id; `after` is the last id of the previous page. */
  list(after: string | undefined, limit: number): Promise<ConnectorConfiguration[]>;
  get(id: string): Promise<ConnectorConfiguration | undefined>;
  /** Fails with `INVENTORY.CONNECTOR_NAME_TAKEN` when the name is in use. */
  insert(configuration: ConnectorConfiguration): Promise<void>;
  /** Inserts only when no connector is configured at all; true when it was inserted. */
  insertIfNoneConfigured(configuration: ConnectorConfiguration): Promise<boolean>;
  /** False when there is no such connector; `INVENTORY.CONNECTOR_NAME_TAKEN` on a name clash. */
  update(configuration: ConnectorConfiguration): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Enabled connectors that have a schedule. */
  schedulable(): Promise<SchedulableConnector[]>;
  /**
   * Claims a cron slot of a connector for this process: true for exactly one caller per slot, across
   * processes, and never for a slot at or before one already claimed.
   */
  claimSlot(id: string, slot: Date): Promise<boolean>;
}
