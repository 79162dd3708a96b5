import { z } from 'zod';
import type { ConnectorConfiguration } from '../../domain/connector/connector-configuration.entity';
import { InventoryError } from '../../domain/inventory.error';
import type { Connector } from '../ports/connector.port';
import type { CredentialResolver } from '../ports/credential-resolver.port';
import { defineConnectorKind } from './connector-kind.definition';
import { ConnectorKindRegistry } from './connector-kind.registry';

const built: { settings: unknown; secret: string }[] = [];

const VAULTED = defineConnectorKind({
  kind: 'vaulted',
  description: 'needs a password',
  settings: z.strictObject({ host: z.string().min(1), port: z.number().int().default(443) }),
  requiredCredentials: ['password'],
  optionalCredentials: ['caBundle'],
  create: ({ id, settings, credentials }): Connector => {
    built.push({ settings, secret: credentials.reveal('password') });
    return {
      id,
      kind: 'vsphere',
      pages: async function* () {
        await Promise.resolve();
        yield { records: [] };
      },
    };
  },
});

const registry = new ConnectorKindRegistry([VAULTED]);

function problemFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error: unknown) {
    if (!(error instanceof InventoryError)) throw error;
    return (error.metadata['errors'] as { field: string }[]).map((e) => e.field).sort();
  }
  throw new Error('expected a validation failure');
}

describe('ConnectorKindRegistry', () => {
  it('validates and normalises settings by kind', () => {
    expect(
      registry.validate({
        kind: 'vaulted',
        settings: { host: 'vc1' },
        credentials: { password: 'env:VC_PASSWORD' },
        schedule: '0 * * * *',
      }),
    ).toEqual({ host: 'vc1', port: 443 });
  });

  it('lists every problem: settings, credentials that are not references or not taken, schedule', () => {
    expect(
      problemFields(() =>
        registry.validate({
          kind: 'vaulted',
          settings: { port: 'x', extra: true },
          credentials: { password: 'hunter2', token: 'env:T' },
          schedule: 'sometimes',
        }),
      ),
    ).toEqual([
      'credentials.password',
      'credentials.token',
      'schedule',
      'settings',
      'settings.host',
      'settings.port',
    ]);
    expect(
      problemFields(() =>
        registry.validate({ kind: 'vaulted', settings: { host: 'h' }, credentials: {}, schedule: null }),
      ),
    ).toEqual(['credentials.password']);
  });

  it('never echoes a pasted secret in its error', () => {
    let message = '';
    try {
      registry.validate({
        kind: 'vaulted',
        settings: { host: 'h' },
        credentials: { password: 'hunter2' },
        schedule: null,
      });
    } catch (error: unknown) {
      message = JSON.stringify({
        error,
        message: (error as Error).message,
        meta: (error as InventoryError).metadata,
      });
    }
    expect(message).toContain('credentials.password');
    expect(message).not.toContain('hunter2');
  });

  it('asks the kind for credentials its settings call for, once the settings are valid', () => {
    const perHost = new ConnectorKindRegistry([
      defineConnectorKind({
        kind: 'per-host',
        description: 'one password per host',
        settings: z.strictObject({ hosts: z.array(z.string().regex(/^[a-z]+$/)).min(1) }),
        requiredCredentials: [],
        optionalCredentials: [],
        credentialsFor: (settings) => ({ required: settings.hosts.map((h) => `${h}Password`) }),
        create: () => {
          throw new Error('not built here');
        },
      }),
    ]);
    const fieldsOf = (settings: object, credentials: Record<string, string>) =>
      problemFields(() =>
        perHost.validate({
          kind: 'per-host',
          settings: settings as Record<string, unknown>,
          credentials,
          schedule: null,
        }),
      );
    expect(fieldsOf({ hosts: ['east', 'west'] }, { eastPassword: 'env:E', northPassword: 'env:N' })).toEqual([
      'credentials.northPassword',
      'credentials.westPassword',
    ]);
    // Invalid settings: names cannot be judged, but a pasted secret is still refused.
    expect(fieldsOf({ hosts: ['EAST'] }, { eastPassword: 'hunter2', anyName: 'env:A' })).toEqual([
      'credentials.eastPassword',
      'settings.hosts.0',
    ]);
  });

  it('refuses unknown kinds and duplicate definitions', () => {
    expect(() => registry.definition('mainframe')).toThrow(/Unknown connector kind mainframe/);
    expect(() => new ConnectorKindRegistry([VAULTED, VAULTED])).toThrow(/twice/);
    expect(registry.kinds()).toEqual(['vaulted']);
  });

  it('builds a connector with its references resolved', async () => {
    const resolved: string[] = [];
    const resolver: CredentialResolver = {
      resolve: (ref) => {
        resolved.push(`${ref.scheme}:${ref.locator}`);
        return Promise.resolve('s3cret');
      },
    };
    const configuration: ConnectorConfiguration = {
      id: '6f1c3f5e-2d1b-4a8e-9c7d-5b4a3f2e1d0c',
      organisation: 'acme',
      kind: 'vaulted',
      name: 'vc',
      settings: { host: 'vc1' },
      credentials: { password: 'file:/run/secrets/vc' },
      schedule: null,
      enabled: true,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    const connector = await registry.instantiate(configuration, resolver);
    expect(connector.id).toBe(configuration.id);
    expect(resolved).toEqual(['file:/run/secrets/vc']);
    expect(built.at(-1)).toEqual({ settings: { host: 'vc1', port: 443 }, secret: 's3cret' });
  });
});
