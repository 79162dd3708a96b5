import type { z } from 'zod';
import type { Platform } from '../../domain/asset/platform';
import type { Connector } from '../ports/connector.port';

/** The secrets of one connector, resolved from their references for the time a connector is built. */
export interface ResolvedCredentials {
  /** The secret under this credential name; fails when the configuration has none. */
  reveal(name: string): string;
  has(name: string): boolean;
}

export interface CredentialNames {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
}

export interface ConnectorInstanceInput<Settings> {
  readonly id: string;
  readonly name: string;
  readonly settings: Settings;
  readonly credentials: ResolvedCredentials;
}

/**
 * Everything the service needs to know about one kind of connector: how its settings are validated,
 * which credentials it takes, and how to build it. A new kind is one definition added to the list the
 * service is wired with.
 */
export interface ConnectorKindDefinition<Settings = unknown> {
  /** Lower-case, e.g. `aws`; stored with each configuration. */
  readonly kind: string;
  readonly description: string;
  /** The platform its scans report; by default the kind itself, when it names a platform. */
  readonly platform?: Platform;
  /** Non-secret settings. Strict: an unknown key is refused rather than silently stored. */
  readonly settings: z.ZodType<Settings>;
  /** Credential names the kind always needs; every one must be given a reference. */
  readonly requiredCredentials: readonly string[];
  readonly optionalCredentials: readonly string[];
  /**
   * Credential names that depend on the settings or on which credentials are given (a password per
   * vCenter, a client secret for a service principal, both halves of an access key), on top of the
   * fixed lists. Consulted only for settings that validate.
   */
  credentialsFor?(settings: Settings, given: ReadonlySet<string>): CredentialNames;
  create(input: ConnectorInstanceInput<Settings>): Connector;
}

/** Loses the settings type for a heterogeneous list; the registry re-validates settings before `create`. */
export function defineConnectorKind<Settings>(
  definition: ConnectorKindDefinition<Settings>,
): ConnectorKindDefinition {
  return definition;
}
