import type { AccessToken, TokenCredential } from '@azure/identity';
import { LOOPBACK_TLS, RecordedApiServer, type Recording } from '@rf/platform-testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedAsset } from '../../../domain/asset/asset.entity';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import type { ProviderRetry } from '../provider-call/provider-call.runner';
import { AzureConnector } from './azure.connector';

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
const GALLERY = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/golden`;
const WEB_VMS = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-web/virtualMachines`;
const recording = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'azure-compute.recording.json'), 'utf8'),
) as Recording;

/** Stands in for Microsoft Entra: the recording cannot issue tokens, so the bearer is fixed. */
const fixedToken: TokenCredential = {
  getToken: (): Promise<AccessToken> =>
    Promise.resolve({ token: 'recorded-bearer', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

const throttled = {
  status: 429,
  headers: { 'retry-after': '1' },
  body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
};

async function scan(
  connector: AzureConnector,
): Promise<{ records: RawAssetRecord[]; problems: ScanProblem[] }> {
  const records: RawAssetRecord[] = [];
  const problems: ScanProblem[] = [];
  for await (const page of connector.pages({
    scanId: 's',
    sequence: 1,
    signal: new AbortController().signal,
  })) {
    records.push(...page.records);
    problems.push(...(page.problems ?? []));
  }
  return { records, problems };
}

function byName(records: readonly RawAssetRecord[]): Map<string, ObservedAsset> {
  const assets = new Map<string, ObservedAsset>();
  for (const record of records) {
    const result = normaliseAsset(record);
    if (!result.ok) throw new Error(`record ${record.instanceId} rejected: ${result.problems.join(', ')}`);
    assets.set(result.asset.tags['Name'] ?? '', result.asset);
  }
  return assets;
}

describe('AzureConnector against recorded ARM responses', () => {
  const server = new RecordedApiServer(recording, { tls: true });
  let endpoint: string;

  beforeAll(async () => {
    endpoint = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => server.reset());

  function connector(retries: ProviderRetry[] = [], overrides: object = {}): AzureConnector {
    return new AzureConnector({
      id: 'azure-test',
      settings: {
        subscriptions: [SUBSCRIPTION],
        endpoint,
        caCertificate: LOOPBACK_TLS.cert,
        callPolicy: { baseDelayMs: 1, maxDelayMs: 50, maxAttempts: 3 },
        ...overrides,
      },
      credential: () => Promise.resolve(fixedToken),
      calls: { random: () => 0, onRetry: (retry) => retries.push(retry) },
    });
  }

  it('lists every VMSS instance across nextLink pages with its gallery image lineage', async () => {
    const { records, problems } = await scan(connector());

    expect(problems).toEqual([]);
    expect(server.received.every((r) => r.authorization === 'Bearer recorded-bearer')).toBe(true);
    // Both pages of the scale-set listing, of vmss-web's instances and of rhel9's versions were read.
    expect(server.requests('GET', WEB_VMS).map((r) => r.query['$skiptoken'])).toEqual([undefined, 'web-p2']);
    expect(server.requests('GET', `${GALLERY}/images/rhel9-golden/versions`)).toHaveLength(2);
    const assets = byName(records);
    expect([...assets.keys()].sort()).toEqual([
      'vmss-batch_0',
      'vmss-batch_1',
      'vmss-web_0',
      'vmss-web_1',
      'vmss-web_2',
    ]);

    expect(assets.get('vmss-web_0')).toMatchObject({
      platform: 'azure',
      account: SUBSCRIPTION,
      region: 'westeurope',
      // ARM ids are case-insensitive: the asset identity keeps them lower-cased.
      instanceId: `${WEB_VMS}/0`.toLowerCase(),
      imageRef: `${GALLERY}/images/rhel9-golden/versions/1.4.2`,
      imageFamily: 'rhel9-golden',
      imageVersion: '1.4.2',
      state: 'running',
      environment: 'prod',
      project: 'shop',
    });
    expect(assets.get('vmss-web_1')?.state).toBe('stopped');
    // "Latest" in the model: the version the platform resolved completes the reference.
    expect(assets.get('vmss-web_2')).toMatchObject({
      imageRef: `${GALLERY}/images/rhel9-golden/versions/1.5.0`,
      imageVersion: '1.5.0',
      project: 'checkout',
    });
    // The gallery version's tag wins over the version name.
    expect(assets.get('vmss-batch_0')).toMatchObject({
      region: 'northeurope',
      imageFamily: 'win2022-core',
      imageVersion: '2025.10.14',
      state: 'stopped',
      environment: 'dev',
    });
    expect(assets.get('vmss-batch_1')?.imageRef).toBe(
      'Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202510140',
    );
  });

  it('backs off on 429 for at least the Retry-After (capped by the policy) and completes', async () => {
    const retries: ProviderRetry[] = [];
    server.failNext('GET', WEB_VMS, 2, throttled);

    const { records, problems } = await scan(connector(retries));

    expect(problems).toEqual([]);
    expect(records).toHaveLength(5);
    expect(retries).toEqual([
      expect.objectContaining({ reason: 'throttled', attempt: 1, delayMs: 50 }),
      expect.objectContaining({ reason: 'throttled', attempt: 2, delayMs: 50 }),
    ]);
  });

  it('reports a subscription that stays throttled as a retriable problem', async () => {
    server.failNext(
      'GET',
      `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Compute/virtualMachineScaleSets`,
      3,
      throttled,
    );

    const { records, problems } = await scan(connector());

    expect(records).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'INVENTORY.CONNECTOR_THROTTLED',
        account: SUBSCRIPTION,
        retriable: true,
      }),
    ]);
  });

  it('does not retry a refused token and reports it per subscription', async () => {
    const retries: ProviderRetry[] = [];
    server.failNext(
      'GET',
      `${GALLERY.replace(/\/resourceGroups.*$/, '')}/providers/Microsoft.Compute/galleries`,
      1,
      {
        status: 401,
        headers: {},
        body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
      },
    );

    const { records, problems } = await scan(connector(retries));

    expect(retries).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'INVENTORY.CONNECTOR_AUTH_FAILED',
        account: SUBSCRIPTION,
        retriable: false,
      }),
    ]);
    // Instances are still listed, only without gallery tags.
    expect(records).toHaveLength(5);
  });

  it('tests the connection per subscription', async () => {
    const result = await connector().testConnection(new AbortController().signal);
    expect(result).toMatchObject({ ok: true, checks: [{ target: SUBSCRIPTION, ok: true }] });
  });

  it('refuses settings it cannot use, listing every problem', () => {
    expect(
      () =>
        new AzureConnector({
          id: 'bad',
          settings: { subscriptions: ['not-a-uuid'], endpoint: 'http://management.example.com' },
          credential: () => Promise.resolve(fixedToken),
        }),
    ).toThrow(expect.objectContaining({ code: 'INVENTORY.INVALID_CONFIGURATION' }) as Error);
  });
});
