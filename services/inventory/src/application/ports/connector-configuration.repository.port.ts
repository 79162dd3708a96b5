import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';

/** A scheduled connector and the cron slot a scheduler last claimed for it. */
export interface SchedulableConnector {
  readonly configuration: ConnectorConfiguration;
  readonly scheduledSlot: Date | null;
}

/**
 * Stored connector configurations. Credentials are references; no method ever sees a secret. Reads
 * and writes by id name the organisation: another organisation's connector is absent.
 */
export interface ConnectorConfigurationRepository {
  /** The organisation's connectors, ordered by id; `after` is the last id of the previous page. */
  list(organisation: string, after: string | undefined, limit: number): Promise<ConnectorConfiguration[]>;
  get(organisation: string, id: string): Promise<ConnectorConfiguration | undefined>;
  /** Fails with `INVENTORY.CONNECTOR_NAME_TAKEN` when the name is in use in its organisation. */
  insert(configuration: ConnectorConfiguration): Promise<void>;
  /** Inserts only when no connector is configured at all, in any organisation; true when it was inserted. */
  insertIfNoneConfigured(configuration: ConnectorConfiguration): Promise<boolean>;
  /**
   * False when its organisation has no such connector; `INVENTORY.CONNECTOR_NAME_TAKEN` on a name
   * clash. The organisation itself is never changed.
   */
  update(configuration: ConnectorConfiguration): Promise<boolean>;
  delete(organisation: string, id: string): Promise<boolean>;
  /** Enabled connectors that have a schedule, of every organisation (each scans in its own). */
  schedulable(): Promise<SchedulableConnector[]>;
  /**
   * Claims a cron slot of a connector for this process: true for exactly one caller per slot, across
   * processes, and never for a slot at or before one already claimed.
   */
  claimSlot(id: string, slot: Date): Promise<boolean>;
}
