import { EVENT_BACKBONE_MIGRATIONS } from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl, waitFor } from '@rf/platform-testing';
import { OAuth2Client } from 'google-auth-library';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { REMEDIATION_MIGRATIONS } from '../../persistence/remediation-migrations';
import type { CloudGroupTarget } from './cloud-group-rollout.driver';
import { CloudGroupRolloutExecutor } from './cloud-group-rollout.executor';
import { GcpMigRollingUpdateDriver } from './gcp-mig-rolling-update.driver';
import { GcpComputeFake } from './testing/gcp-compute.fake';

const PROJECT = 'rf-prod-shop';
const IMAGES = 'projects/rf-golden-images/global/images';

/** Stands in for Google's token service: the fake cannot mint tokens, so the bearer is fixed. */
function fixedBearer(): OAuth2Client {
  // Node's fetch: under Jest's module sandbox gaxios cannot load its default fetch dynamically.
  const client = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
  client.setCredentials({ access_token: 'fake-bearer', expiry_date: Date.now() + 3_600_000 });
  return client;
}

const rateLimited = {
  status: 429,
  body: {
    error: {
      code: 429,
      message: 'Rate Limit Exceeded',
      status: 'RESOURCE_EXHAUSTED',
      errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
    },
  },
};

describe('GCP MIG rolling update executor against the Compute fake, through @google-cloud/compute (REST)', () => {
  // The client library loads its protobuf descriptors on first use, which takes seconds on a busy host.
  jest.setTimeout(60_000);
  const fake = new GcpComputeFake();
  let db: DataSource;
  let driver: GcpMigRollingUpdateDriver;
  const heartbeats: unknown[] = [];

  const executor = (targets: Record<string, CloudGroupTarget>) =>
    new CloudGroupRolloutExecutor(db, driver, { resolve: (assetId) => targets[assetId] }, (details) =>
      heartbeats.push(details),
    );

  const group = (scope: { zone: string } | { region: string }) => {
    const name = `web-${randomUUID().slice(0, 8)}`;
    const template = fake.addTemplate(PROJECT, `${name}-base`, `${IMAGES}/rhel9-golden-1-4-2`);
    const path = fake.addMig({
      project: PROJECT,
      zone: 'zone' in scope ? scope.zone : null,
      region: 'region' in scope ? scope.region : null,
      name,
      template,
      targetSize: 3,
    });
    return { name, path, template, target: { group: path, image: `${IMAGES}/rhel9-golden-{versionSlug}` } };
  };

  const change = (planId: string, assetId: string, key = `wf-${planId}:apply:0:${assetId}`) => ({
    idempotencyKey: key,
    planId,
    assetId,
    toVersion: '1.5.0',
    maxConcurrency: 2,
  });

  beforeAll(async () => {
    const endpoint = await fake.server.start();
    driver = new GcpMigRollingUpdateDriver({
      endpoint,
      authClient: fixedBearer(),
      pollIntervalMs: 20,
      timeoutMs: 20_000,
      throttleRetries: { attempts: 4, baseDelayMs: 10, maxDelayMs: 100 },
    });
    db = createDataSource({
      url: testDatabaseUrl('remediation'),
      service: 'remediation',
      entities: [],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...REMEDIATION_MIGRATIONS],
    });
    await db.initialize();
    await runMigrations(db);
  }, 60_000);

  afterAll(async () => {
    await driver.close();
    await fake.server.stop();
    await db.destroy();
  });

  beforeEach(() => {
    fake.server.reset();
    heartbeats.length = 0;
  });

  it('rolls a zonal MIG to a template built from the target image, once for all its assets', async () => {
    const mig = group({ zone: 'europe-west1-b' });
    const [a, b] = [randomUUID(), randomUUID()];
    const planId = randomUUID();
    const run = executor({ [a]: mig.target, [b]: mig.target });

    const results = await Promise.all([run.apply(change(planId, a)), run.apply(change(planId, b))]);

    expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    expect(results[0]).toMatchObject({ toVersion: '1.5.0', executedNow: true });
    const templatePath = `projects/${PROJECT}/global/instanceTemplates/rf-${mig.name}-1-5-0`;
    expect(fake.mig(mig.path)?.template).toBe(templatePath);
    expect(fake.template(templatePath)).toMatchObject({
      description: `rf-version: 1.5.0 (from ${mig.name}-base)`,
      properties: {
        disks: [{ boot: true, initializeParams: { sourceImage: `${IMAGES}/rhel9-golden-1-5-0` } }],
      },
    });
    expect(fake.patches.get(mig.name)).toBe(1);
    const patch = fake.server.requests((r) => r.method === 'PATCH')[0];
    expect(patch?.authorization).toBe('Bearer fake-bearer');
    expect(patch?.body).toMatchObject({
      versions: [{ instanceTemplate: templatePath }],
      updatePolicy: {
        type: 'PROACTIVE',
        minimalAction: 'REPLACE',
        maxSurge: { fixed: 2 },
        maxUnavailable: { fixed: 0 },
      },
    });
    // The patch's Operation was waited on through zoneOperations.wait.
    expect(
      fake.server.requests(
        (r) => r.method === 'POST' && r.path.includes('/zones/europe-west1-b/operations/'),
      ),
    ).not.toEqual([]);
    expect(heartbeats).toEqual(expect.arrayContaining([expect.objectContaining({ phase: 'rolling' })]));

    // The same asset again returns the recorded result without a call.
    fake.server.reset();
    expect(await run.apply(change(planId, a))).toMatchObject({ outcome: 'succeeded', executedNow: false });
    expect(fake.server.received).toEqual([]);
  });

  it('waits out 429 rateLimitExceeded on a regional MIG and surges at least one per zone', async () => {
    const mig = group({ region: 'europe-west1' });
    const asset = randomUUID();
    fake.server.failNext(
      (r) => r.method === 'GET' && r.path.endsWith(`/instanceGroupManagers/${mig.name}`),
      2,
      rateLimited,
    );
    fake.server.failNext((r) => r.method === 'PATCH', 1, rateLimited);

    const result = await executor({ [asset]: mig.target }).apply({
      ...change(randomUUID(), asset),
      maxConcurrency: 1,
    });

    expect(result.outcome).toBe('succeeded');
    expect(fake.patches.get(mig.name)).toBe(1);
    expect(fake.server.requests((r) => r.method === 'PATCH')).toHaveLength(2);
    expect(fake.mig(mig.path)?.updatePolicy).toMatchObject({
      maxSurge: { fixed: 3 },
      maxUnavailable: { fixed: 0 },
    });
    expect(fake.server.requests((r) => r.path.includes('/regions/europe-west1/operations/'))).not.toEqual([]);
  });

  it('joins a rollout another attempt started instead of patching again', async () => {
    const mig = group({ zone: 'europe-west1-c' });
    fake.rolloutPolls = 15;
    const [a, b] = [randomUUID(), randomUUID()];
    const planId = randomUUID();
    try {
      const first = executor({ [a]: mig.target }).apply(change(planId, a));
      await waitFor(() => Promise.resolve(fake.mig(mig.path)?.stable === false ? true : undefined), {
        timeoutMs: 20_000,
        intervalMs: 10,
        description: 'the first attempt patched the MIG',
      });
      const second = await executor({ [b]: mig.target }).apply(change(planId, b));
      expect(second.outcome).toBe('succeeded');
      expect((await first).outcome).toBe('succeeded');
      expect(fake.patches.get(mig.name)).toBe(1);
    } finally {
      fake.rolloutPolls = 2;
    }
  });

  it('fails the assets of a MIG that reports instance errors, and the revert patches back the old template', async () => {
    const mig = group({ zone: 'europe-west1-d' });
    fake.badImages.add(`${IMAGES}/rhel9-golden-1-5-0`);
    const asset = randomUUID();
    const planId = randomUUID();
    const run = executor({ [asset]: mig.target });
    try {
      const applied = await run.apply(change(planId, asset));
      expect(applied.outcome).toBe('failed');
      // Both errors were read, across listErrors pages.
      expect(applied.detail).toMatch(
        /2 instance error\(s\): .*-new0: CONDITION_NOT_MET.*-new1: CONDITION_NOT_MET/u,
      );
      expect(
        fake.server.requests((r) => r.path.endsWith('/listErrors') && r.query['pageToken'] === '1'),
      ).not.toEqual([]);

      const reverted = await run.revert({
        idempotencyKey: `wf-${planId}:revert:0:${asset}`,
        appliedKey: `wf-${planId}:apply:0:${asset}`,
        planId,
        assetId: asset,
        toVersion: '',
      });
      expect(reverted).toMatchObject({ outcome: 'succeeded', fromVersion: '1.5.0' });
      expect(fake.mig(mig.path)?.template).toBe(mig.template);
      expect(fake.patches.get(mig.name)).toBe(2);
    } finally {
      fake.badImages.clear();
    }
  });
});
