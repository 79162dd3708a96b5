import { z } from 'zod';
import type { ConnectorConfiguration } from '../../../domain/connector/connector-configuration.entity';
import { defineConnectorKind } from '../../connectors/connector-kind.definition';
import { ConnectorKindRegistry } from '../../connectors/connector-kind.registry';
import type { ConnectorConfigurationRepository } from '../../ports/connector-configuration.repository.port';
import type { Connector, RawAssetPage } from '../../ports/connector.port';
import type { CredentialResolver } from '../../ports/credential-resolver.port';
import { TestConnectorCommand } from './test-connector.command';
import { TestConnectorHandler } from './test-connector.handler';

const ID = '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a';
let closedIterators = 0;

/** `hang` never answers until aborted; `list` has no test of its own and lists pages of two. */
const SCRIPTED = defineConnectorKind({
  kind: 'scripted',
  description: 'test',
  platform: 'aws',
  settings: z.strictObject({ mode: z.enum(['hang', 'list']) }),
  requiredCredentials: [],
  optionalCredentials: [],
  create: ({ id, settings }): Connector => {
    const records = [1, 2].map((i) => ({
      platform: 'aws',
      account: '1',
      region: 'r',
      instanceId: `i-${i}`,
      state: 'running',
    }));
    async function* pages(): AsyncGenerator<RawAssetPage> {
      try {
        await Promise.resolve();
        yield { records };
        yield { records };
      } finally {
        closedIterators += 1;
      }
    }
    return settings.mode === 'hang'
      ? {
          id,
          kind: 'aws',
          pages,
          testConnection: (signal) =>
            new Promise((_, reject) =>
              signal.addEventListener('abort', () => reject(signal.reason as Error)),
            ),
        }
      : { id, kind: 'aws', pages };
  },
});

function handlerFor(mode: 'hang' | 'list'): TestConnectorHandler {
  const configuration: ConnectorConfiguration = {
    id: ID,
    organisation: 'acme',
    kind: 'scripted',
    name: 'scripted',
    settings: { mode },
    credentials: {},
    schedule: null,
    enabled: true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
  const connectors = {
    get: (organisation: string, id: string) =>
      Promise.resolve(organisation === 'acme' && id === ID ? configuration : undefined),
  } as Pick<ConnectorConfigurationRepository, 'get'> as ConnectorConfigurationRepository;
  const resolver: CredentialResolver = { resolve: () => Promise.reject(new Error('no credential expected')) };
  return new TestConnectorHandler(
    connectors,
    new ConnectorKindRegistry([SCRIPTED]),
    resolver,
    { now: () => new Date() },
    50,
  );
}

describe('TestConnectorHandler', () => {
  it('reports a provider that does not answer in time as a failed check', async () => {
    const result = await handlerFor('hang').execute(new TestConnectorCommand('acme', ID));
    expect(result).toMatchObject({
      connectorId: ID,
      ok: false,
      detail: 'no answer before the test timed out',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(40);
  });

  it('lists only the first page of a connector without a test of its own, and closes the listing', async () => {
    const before = closedIterators;
    const result = await handlerFor('list').execute(new TestConnectorCommand('acme', ID));
    expect(result).toMatchObject({ ok: true, detail: 'listed a first page of 2 assets' });
    expect(closedIterators).toBe(before + 1);
  });

  it('fails for an unknown connector', async () => {
    await expect(
      handlerFor('list').execute(new TestConnectorCommand('acme', '00000000-0000-4000-8000-000000000000')),
    ).rejects.toMatchObject({ code: 'INVENTORY.CONNECTOR_NOT_FOUND' });
  });
});
