import { type Recording, RecordedApiServer } from '@rf/platform-testing';
import { OAuth2Client } from 'google-auth-library';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ObservedAsset } from '../../../domain/asset/asset.entity';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import type { ProviderRetry } from '../provider-call/provider-call.runner';
import { GcpConnector } from './gcp.connector';

const PROJECT = 'rf-prod-shop';
const IMAGES = 'rf-golden-images';
const WEB_INSTANCES = `/compute/v1/projects/${PROJECT}/zones/europe-west1-b/instanceGroupManagers/web-mig/listManagedInstances`;
const recording = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'gcp-compute.recording.json'), 'utf8'),
) as Recording;

/** Compute's documented rate-limit answer. */
const rateLimited = {
  status: 429,
  headers: {},
  body: {
    error: {
      code: 429,
      message: 'Rate Limit Exceeded',
      status: 'RESOURCE_EXHAUSTED',
      errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
    },
  },
};

/** Stands in for Google's token service: the recording cannot mint tokens, so the bearer is fixed. */
function fixedBearer(): OAuth2Client {
  // Node's fetch: under Jest's module sandbox gaxios cannot load its default fetch dynamically.
  const client = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
  client.setCredentials({ access_token: 'recorded-bearer', expiry_date: Date.now() + 3_600_000 });
  return client;
}

async function scan(
  connector: GcpConnector,
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

describe('GcpConnector against recorded Compute Engine responses', () => {
  const server = new RecordedApiServer(recording);
  let endpoint: string;

  // The client library loads its protobuf descriptors on first use, which takes seconds on a busy host.
  jest.setTimeout(30_000);

  beforeAll(async () => {
    endpoint = await server.start();
    await connector().testConnection(new AbortController().signal);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => server.reset());

  function connector(retries: ProviderRetry[] = []): GcpConnector {
    return new GcpConnector({
      id: 'gcp-test',
      settings: {
        projects: [PROJECT],
        imageProjects: [IMAGES],
        endpoint,
        callPolicy: { baseDelayMs: 1, maxDelayMs: 20, maxAttempts: 3 },
      },
      auth: () => Promise.resolve({ authClient: fixedBearer() }),
      calls: { onRetry: (retry) => retries.push(retry) },
    });
  }

  it('lists every MIG instance across pages with the image of its instance template', async () => {
    const { records, problems } = await scan(connector());

    expect(problems).toEqual([]);
    expect(server.received.every((r) => r.authorization === 'Bearer recorded-bearer')).toBe(true);
    expect(server.requests('POST', WEB_INSTANCES).map((r) => r.query['pageToken'])).toEqual([
      undefined,
      'web-p2',
    ]);
    expect(server.requests('GET', `/compute/v1/projects/${IMAGES}/global/images`)).toHaveLength(2);
    expect(
      server.requests('GET', `/compute/v1/projects/${PROJECT}/aggregated/instanceGroupManagers`),
    ).toHaveLength(2);
    // Each template is read once per scan, however many instances use it.
    expect(
      server.requests('GET', `/compute/v1/projects/${PROJECT}/global/instanceTemplates/web-tpl-v3`),
    ).toHaveLength(1);

    const assets = byName(records);
    expect([...assets.keys()].sort()).toEqual([
      'api-9zz1',
      'batch-a1b2',
      'batch-c3d4',
      'web-1x2k',
      'web-7hq9',
      'web-m3pd',
    ]);
    expect(assets.get('web-1x2k')).toMatchObject({
      platform: 'gcp',
      account: PROJECT,
      region: 'europe-west1-b',
      site: 'europe-west',
      instanceId: '4711000000000000001',
      imageRef: `projects/${IMAGES}/global/images/rhel-9-golden-v20251014`,
      imageFamily: 'rhel-9-golden',
      imageVersion: '2025.10.14',
      state: 'running',
      environment: 'prod',
      project: 'shop',
    });
    expect(assets.get('web-7hq9')?.state).toBe('stopped');
    // Mid rolling update: this instance runs the new template's image.
    expect(assets.get('web-m3pd')).toMatchObject({
      imageRef: `projects/${IMAGES}/global/images/rhel-9-golden-v20251101`,
      imageVersion: '2025.11.01',
    });
    expect(assets.get('api-9zz1')).toMatchObject({
      region: 'europe-west1-c',
      imageFamily: 'debian-12-hardened',
      imageVersion: '1.4.2',
    });
    // A regional MIG whose template follows an image family: the family is known, the version is not.
    expect(assets.get('batch-a1b2')).toMatchObject({
      region: 'europe-west1-d',
      imageRef: `projects/${IMAGES}/global/images/family/debian-12-hardened`,
      imageFamily: 'debian-12-hardened',
      imageVersion: null,
      state: 'stopped',
      environment: 'dev',
    });
    expect(assets.get('batch-c3d4')).toMatchObject({ instanceId: 'batch-c3d4', state: 'running' });
  });

  it('backs off on rate limiting and resumes at the page that was refused', async () => {
    const retries: ProviderRetry[] = [];
    server.failNext('POST', WEB_INSTANCES, 2, rateLimited);

    const { records, problems } = await scan(connector(retries));

    expect(problems).toEqual([]);
    expect(records).toHaveLength(6);
    expect(retries.map((r) => [r.operation, r.reason, r.attempt])).toEqual([
      ['gcp:InstanceGroupManagers.ListManagedInstances web-mig', 'throttled', 1],
      ['gcp:InstanceGroupManagers.ListManagedInstances web-mig', 'throttled', 2],
    ]);
  });

  it('reports a project that stays rate limited as a retriable problem', async () => {
    server.failNext(
      'GET',
      `/compute/v1/projects/${PROJECT}/aggregated/instanceGroupManagers`,
      3,
      rateLimited,
    );

    const { records, problems } = await scan(connector());

    expect(records).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'INVENTORY.CONNECTOR_THROTTLED', account: PROJECT, retriable: true }),
    ]);
  });

  it('does not retry a refused credential', async () => {
    const retries: ProviderRetry[] = [];
    server.failNext('GET', `/compute/v1/projects/${IMAGES}/global/images`, 1, {
      status: 403,
      headers: {},
      body: {
        error: { code: 403, message: 'Required compute.images.list permission', status: 'PERMISSION_DENIED' },
      },
    });

    const { problems } = await scan(connector(retries));

    expect(retries).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'INVENTORY.CONNECTOR_AUTH_FAILED', account: IMAGES, retriable: false }),
    ]);
  });

  it('tests the connection per project', async () => {
    const result = await connector().testConnection(new AbortController().signal);
    expect(result).toMatchObject({ ok: true, checks: [{ target: PROJECT, ok: true }] });
  });
});
