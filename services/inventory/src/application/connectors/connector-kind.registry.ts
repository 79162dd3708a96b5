import { isPlatform, type Platform } from '../../domain/asset/platform';
import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';
import {
  CREDENTIAL_REFERENCE_FORMS,
  parseCredentialReference,
} from '../../domain/connector/credential-reference.value-object';
import { CronSchedule } from '../../domain/connector/cron-schedule.value-object';
import { InventoryError } from '../../domain/inventory.error';
import type { Connector } from '../ports/connector.port';
import type { CredentialResolver } from '../ports/credential-resolver.port';
import type { ConnectorKindDefinition, ResolvedCredentials } from './connector-kind.definition';

/** One invalid input field, as the API reports it. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface ConnectorDefinitionInput {
  readonly kind: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly credentials: Readonly<Record<string, string>>;
  readonly schedule: string | null;
}

/** The connector kinds the service was built with, keyed by kind. */
export class ConnectorKindRegistry {
  private readonly byKind: ReadonlyMap<string, ConnectorKindDefinition>;

  constructor(definitions: readonly ConnectorKindDefinition[]) {
    const byKind = new Map<string, ConnectorKindDefinition>();
    for (const definition of definitions) {
      if (byKind.has(definition.kind)) {
        throw new InventoryError(
          'INVENTORY.INVALID_CONFIGURATION',
          `connector kind ${definition.kind} twice`,
        );
      }
      byKind.set(definition.kind, definition);
    }
    this.byKind = byKind;
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  definition(kind: string): ConnectorKindDefinition {
    const definition = this.byKind.get(kind);
    if (!definition) {
      throw new InventoryError('INVENTORY.UNKNOWN_CONNECTOR_KIND', `Unknown connector kind ${kind}`, {
        metadata: { errors: [{ field: 'kind', message: `must be one of ${this.kinds().join(', ')}` }] },
      });
    }
    return definition;
  }

  /** The platform a kind's scans report, if the kind is known and reports one. */
  platformOf(kind: string): Platform | undefined {
    const definition = this.byKind.get(kind);
    if (definition?.platform) return definition.platform;
    return isPlatform(kind) ? kind : undefined;
  }

  /**
   * Checks settings against the kind's schema, credentials for references (never secrets) under the
   * names the kind takes, and the schedule; returns the settings as the schema normalised them.
   * Every problem is listed at once.
   */
  validate(input: ConnectorDefinitionInput): Record<string, unknown> {
    const definition = this.definition(input.kind);
    const problems: FieldProblem[] = [];
    const parsed = definition.settings.safeParse(input.settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = ['settings', ...issue.path.map(String)].join('.');
        problems.push({
          field: path,
          message:
            issue.code === 'unrecognized_keys' ? `unknown setting ${issue.keys.join(', ')}` : issue.message,
        });
      }
    }
    const given = new Set(Object.keys(input.credentials));
    const dynamic = parsed.success ? definition.credentialsFor?.(parsed.data, given) : undefined;
    const required = new Set([...definition.requiredCredentials, ...(dynamic?.required ?? [])]);
    const known = new Set([...required, ...definition.optionalCredentials, ...(dynamic?.optional ?? [])]);
    // Names that depend on settings cannot be judged while the settings are invalid.
    const namesKnowable = parsed.success || definition.credentialsFor === undefined;
    for (const [name, reference] of Object.entries(input.credentials)) {
      if (namesKnowable && !known.has(name)) {
        problems.push({
          field: `credentials.${name}`,
          message: `${input.kind} connectors${dynamic ? ' with these settings' : ''} take ${[...known].join(', ') || 'no credentials'}`,
        });
      } else if (parseCredentialReference(reference) === undefined) {
        // The value may be a pasted secret: it is never echoed back.
        problems.push({
          field: `credentials.${name}`,
          message: `must be a reference (${CREDENTIAL_REFERENCE_FORMS}), not a secret`,
        });
      }
    }
    for (const name of required) {
      if (input.credentials[name] === undefined) {
        problems.push({ field: `credentials.${name}`, message: 'is required' });
      }
    }
    if (input.schedule !== null) {
      const schedule = CronSchedule.parse(input.schedule);
      if (!(schedule instanceof CronSchedule))
        problems.push({ field: 'schedule', message: schedule.problem });
    }
    if (problems.length > 0 || !parsed.success) {
      throw new InventoryError(
        'INVENTORY.INVALID_CONNECTOR_SETTINGS',
        `Invalid ${input.kind} connector: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
        { metadata: { errors: problems } },
      );
    }
    return parsed.data as Record<string, unknown>;
  }

  /** Builds the connector of a stored configuration, resolving its credential references now. */
  async instantiate(configuration: ConnectorConfiguration, resolver: CredentialResolver): Promise<Connector> {
    const definition = this.definition(configuration.kind);
    const parsed = definition.settings.safeParse(configuration.settings);
    if (!parsed.success) {
      throw new InventoryError(
        'INVENTORY.INVALID_CONNECTOR_SETTINGS',
        `Stored settings of connector ${configuration.id} no longer match the ${configuration.kind} schema`,
        { metadata: { connectorId: configuration.id } },
      );
    }
    const secrets = new Map<string, string>();
    for (const [name, text] of Object.entries(configuration.credentials)) {
      const reference = parseCredentialReference(text);
      if (!reference) {
        throw new InventoryError('INVENTORY.CREDENTIAL_UNRESOLVED', `Credential ${name} is not a reference`, {
          metadata: { connectorId: configuration.id, credential: name },
        });
      }
      secrets.set(name, await resolver.resolve(reference));
    }
    const credentials: ResolvedCredentials = {
      has: (name) => secrets.has(name),
      reveal: (name) => {
        const secret = secrets.get(name);
        if (secret === undefined) {
          throw new InventoryError('INVENTORY.CREDENTIAL_UNRESOLVED', `No credential ${name} configured`, {
            metadata: { connectorId: configuration.id, credential: name },
          });
        }
        return secret;
      },
    };
    return definition.create({
      id: configuration.id,
      name: configuration.name,
      settings: parsed.data,
      credentials,
    });
  }
}
