import {
  CreateImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { processEnvironment } from '@rf/platform-config';
import { LoopbackFaultProxy, tcpProbe } from '@rf/platform-testing';
import { randomInt } from 'node:crypto';
import type { ObservedAsset } from '../../../domain/asset/asset.entity';
import { normaliseAsset } from '../../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import type { ProviderRetry } from '../provider-call/provider-call.runner';
import type { AwsCredentials } from './aws-connector.settings';
import { AwsConnector } from './aws.connector';

// moto, started by `deploy/local/stack.sh up moto`: a real AWS API peer (EC2 + STS).
const MOTO = processEnvironment()['RF_AWS_ENDPOINT'] ?? 'http://127.0.0.1:15000';
const BASE: AwsCredentials = { accessKeyId: 'AKIARFINVENTORYTEST0', secretAccessKey: 'not-a-secret' };
const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const FAST = { baseDelayMs: 1, maxDelayMs: 20, callTimeoutMs: 10_000 };

/** EC2's documented throttling answer: HTTP 503 with `RequestLimitExceeded`. */
const REQUEST_LIMIT_EXCEEDED = {
  status: 503,
  headers: { 'content-type': 'text/xml' },
  body:
    '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>' +
    '<Message>Request limit exceeded.</Message></Error></Errors><RequestID>rf-test</RequestID></Response>',
};

/** The AWS Query-protocol action of a request (EC2 and STS put it in the form body). */
const actionOf = (_method: string, _path: string, body: string): string =>
  new URLSearchParams(body).get('Action') ?? '';

async function scan(
  connector: AwsConnector,
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

function normalised(records: readonly RawAssetRecord[]): Map<string, ObservedAsset> {
  const assets = new Map<string, ObservedAsset>();
  for (const record of records) {
    const result = normaliseAsset(record);
    if (!result.ok) throw new Error(`record ${record.instanceId} rejected: ${result.problems.join(', ')}`);
    assets.set(result.asset.instanceId, result.asset);
  }
  return assets;
}

interface Fleet {
  readonly account: string;
  readonly builder: string;
  readonly roleArn: string;
  readonly golden: string;
  readonly ubuntu: string;
  readonly goldenInstances: string[];
  readonly ubuntuInstances: string[];
  readonly stopped: string;
  readonly terminated: string;
  readonly otherRegionInstance: string;
}

/** Builds a fleet in a fresh moto account reached through an assumed role, so runs never collide. */
async function buildFleet(): Promise<Fleet> {
  const account = String(randomInt(100_000_000_000, 999_999_999_999));
  const roleArn = `arn:aws:iam::${account}:role/rf-inventory-reader`;
  const sts = new STSClient({ region: HOME, endpoint: MOTO, credentials: BASE });
  const assumed = await sts.send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'rf-fleet-setup' }),
  );
  sts.destroy();
  const c = assumed.Credentials;
  const credentials = {
    accessKeyId: c?.AccessKeyId ?? '',
    secretAccessKey: c?.SecretAccessKey ?? '',
    sessionToken: c?.SessionToken ?? '',
  };
  const ec2 = new EC2Client({ region: HOME, endpoint: MOTO, credentials });
  const other = new EC2Client({ region: OTHER, endpoint: MOTO, credentials });
  try {
    // One reservation per instance: moto pages DescribeInstances by reservation, AWS by instance.
    const launchOne = async (client: EC2Client, imageId: string, tags: Record<string, string>) => {
      const out = await client.send(
        new RunInstancesCommand({
          ImageId: imageId,
          MinCount: 1,
          MaxCount: 1,
          InstanceType: 't3.micro',
          TagSpecifications: [
            { ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
      return out.Instances?.[0]?.InstanceId ?? '';
    };
    const launch = async (
      client: EC2Client,
      imageId: string,
      count: number,
      tags: Record<string, string>,
    ) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push(await launchOne(client, imageId, tags));
      return ids;
    };
    const publicImage = async (client: EC2Client) => {
      const images = await client.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
      const id = images.Images?.[0]?.ImageId;
      if (!id) throw new Error('moto lists no public AMI');
      return id;
    };
    const [builder] = await launch(ec2, await publicImage(ec2), 1, { Name: 'image-builder' });
    const golden = await ec2.send(
      new CreateImageCommand({ InstanceId: builder, Name: 'rhel9-golden-v1.4.2' }),
    );
    const ubuntu = await ec2.send(new CreateImageCommand({ InstanceId: builder, Name: 'ubuntu-22-04-base' }));
    await ec2.send(
      new CreateTagsCommand({
        Resources: [ubuntu.ImageId ?? ''],
        Tags: [
          { Key: 'rf:image-version', Value: '2025.10.14' },
          { Key: 'rf:image-family', Value: 'ubuntu-22-04-base' },
        ],
      }),
    );
    const goldenInstances = await launch(ec2, golden.ImageId ?? '', 4, {
      Environment: 'Production',
      Project: 'payments',
    });
    const ubuntuInstances = await launch(ec2, ubuntu.ImageId ?? '', 3, { env: 'staging' });
    const [stopped] = goldenInstances;
    const [terminated] = ubuntuInstances;
    await ec2.send(new StopInstancesCommand({ InstanceIds: [stopped ?? ''] }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated ?? ''] }));
    const [otherRegionInstance] = await launch(other, await publicImage(other), 1, { Environment: 'dev' });
    return {
      account,
      builder: builder ?? '',
      roleArn,
      golden: golden.ImageId ?? '',
      ubuntu: ubuntu.ImageId ?? '',
      goldenInstances,
      ubuntuInstances,
      stopped: stopped ?? '',
      terminated: terminated ?? '',
      otherRegionInstance: otherRegionInstance ?? '',
    };
  } finally {
    ec2.destroy();
    other.destroy();
  }
}

describe('AwsConnector against moto', () => {
  const proxy = new LoopbackFaultProxy(MOTO, actionOf);
  let endpoint: string;
  let fleet: Fleet;

  beforeAll(async () => {
    await tcpProbe(new URL(MOTO).host).catch((error: unknown) => {
      throw new Error(`moto is not running at ${MOTO}: start it with \`deploy/local/stack.sh up moto\``, {
        cause: error,
      });
    });
    endpoint = await proxy.start();
    fleet = await buildFleet();
  }, 60_000);

  afterAll(async () => {
    await proxy.stop();
  });

  beforeEach(() => proxy.reset());

  function allInstances(): string[] {
    return [fleet.builder, ...fleet.goldenInstances, ...fleet.ubuntuInstances, fleet.otherRegionInstance];
  }

  function connector(retries: ProviderRetry[] = [], callPolicy: object = FAST): AwsConnector {
    return new AwsConnector({
      id: 'aws-test',
      settings: { regions: [HOME, OTHER], roleArn: fleet.roleArn, endpoint, pageSize: 5, callPolicy },
      credentials: () => Promise.resolve(BASE),
      calls: { onRetry: (retry) => retries.push(retry) },
    });
  }

  it('assumes the role and lists every instance of the account, paged, with its AMI lineage', async () => {
    const { records, problems } = await scan(connector());

    expect(problems).toEqual([]);
    expect(proxy.count('AssumeRole')).toBe(1);
    // 9 instances in us-east-1 at 5 per page: the listing needed a second page.
    expect(proxy.count('DescribeInstances')).toBeGreaterThanOrEqual(3);
    const assets = normalised(records);
    expect([...assets.keys()].sort()).toEqual(allInstances().sort());
    for (const asset of assets.values()) expect(asset.account).toBe(fleet.account);

    const goldenRunning = assets.get(fleet.goldenInstances[1] ?? '');
    expect(goldenRunning).toMatchObject({
      platform: 'aws',
      region: HOME,
      site: 'us-east',
      imageRef: fleet.golden,
      imageFamily: 'rhel9-golden',
      imageVersion: '1.4.2',
      state: 'running',
      environment: 'prod',
      project: 'payments',
    });
    expect(assets.get(fleet.stopped)?.state).toBe('stopped');
    expect(assets.get(fleet.terminated)?.state).toBe('terminated');
    // The version of the ubuntu AMI lives only in its tags.
    expect(assets.get(fleet.ubuntuInstances[1] ?? '')).toMatchObject({
      imageRef: fleet.ubuntu,
      imageFamily: 'ubuntu-22-04-base',
      imageVersion: '2025.10.14',
      environment: 'staging',
    });
    expect(assets.get(fleet.otherRegionInstance)).toMatchObject({ region: OTHER, environment: 'dev' });
    // An instance of a public AMI has an image reference but no golden-image version.
    const builder = assets.get(fleet.builder);
    expect(builder?.tags).toEqual({ Name: 'image-builder' });
    expect(builder?.imageVersion).toBeNull();
    expect(builder?.imageRef).toMatch(/^ami-/);
  });

  it('backs off and retries when EC2 throttles, then completes the listing', async () => {
    const retries: ProviderRetry[] = [];
    proxy.failNext('DescribeInstances', 2, REQUEST_LIMIT_EXCEEDED);
    proxy.failNext('DescribeImages', 1, REQUEST_LIMIT_EXCEEDED);

    const { records, problems } = await scan(connector(retries));

    expect(problems).toEqual([]);
    expect([...normalised(records).keys()].sort()).toEqual(allInstances().sort());
    expect(retries.map((r) => [r.operation.split(' ')[0], r.reason, r.attempt])).toEqual([
      ['ec2:DescribeImages', 'throttled', 1],
      ['ec2:DescribeInstances', 'throttled', 1],
      ['ec2:DescribeInstances', 'throttled', 2],
    ]);
  });

  it('reports a region that stays throttled as a problem and still lists the other region', async () => {
    proxy.failNext('DescribeImages', 3, REQUEST_LIMIT_EXCEEDED);

    const { records, problems } = await scan(connector([], { ...FAST, maxAttempts: 3 }));

    expect(problems).toEqual([
      expect.objectContaining({
        code: 'INVENTORY.CONNECTOR_THROTTLED',
        region: HOME,
        account: fleet.account,
        retriable: true,
      }),
    ]);
    expect(records.map((r) => r.region)).toEqual([OTHER]);
  });

  it('tests the connection through the assumed role in every region', async () => {
    const result = await connector().testConnection(new AbortController().signal);

    expect(result.ok).toBe(true);
    expect(result.checks?.map((c) => c.target)).toEqual(['sts', HOME, OTHER]);
    expect(result.checks?.[0]?.detail).toBe(`account ${fleet.account}`);
  });

  it('stops listing when the scan is cancelled', async () => {
    const controller = new AbortController();
    const pages = connector().pages({ scanId: 's', sequence: 1, signal: controller.signal });
    const first = await pages.next();
    expect(first.done).toBe(false);
    controller.abort(new Error('cancelled by operator'));

    await expect(pages.next()).rejects.toThrow('cancelled by operator');
  });
});
