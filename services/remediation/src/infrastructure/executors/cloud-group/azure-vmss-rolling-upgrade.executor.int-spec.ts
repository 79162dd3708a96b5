import type { AccessToken, TokenCredential } from '@azure/identity';
import { EVENT_BACKBONE_MIGRATIONS } from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { LOOPBACK_TLS, testDatabaseUrl, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { REMEDIATION_MIGRATIONS } from '../../persistence/remediation-migrations';
import { AzureVmssRollingUpgradeDriver } from './azure-vmss-rolling-upgrade.driver';
import type { CloudGroupTarget } from './cloud-group-rollout.driver';
import { CloudGroupRolloutExecutor } from './cloud-group-rollout.executor';
import { AzureComputeFake } from './testing/azure-compute.fake';

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
const GALLERY_IMAGE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/golden/images/rhel9-golden`;

/** Stands in for Microsoft Entra: the fake cannot issue tokens, so the bearer is fixed. */
const fixedToken: TokenCredential = {
  getToken: (): Promise<AccessToken> =>
    Promise.resolve({ token: 'fake-bearer', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('Azure VMSS rolling upgrade executor against the ARM fake, through @azure/arm-compute', () => {
  jest.setTimeout(60_000);
  const fake = new AzureComputeFake();
  let endpoint: string;
  let db: DataSource;
  const heartbeats: unknown[] = [];

  const executor = (targets: Record<string, CloudGroupTarget>) =>
    new CloudGroupRolloutExecutor(
      db,
      new AzureVmssRollingUpgradeDriver(fixedToken, {
        endpoint,
        caCertificate: LOOPBACK_TLS.cert,
        pollIntervalMs: 20,
        timeoutMs: 20_000,
      }),
      { resolve: (assetId) => targets[assetId] },
      (details) => heartbeats.push(details),
    );

  const scaleSet = (mode: 'Rolling' | 'Manual') => {
    const name = `vmss-${randomUUID().slice(0, 8)}`;
    const id = fake.addScaleSet({
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-web',
      name,
      mode,
      imageId: `${GALLERY_IMAGE}/versions/1.4.2`,
      capacity: 3,
    });
    return { id, name, target: { group: id, image: `${GALLERY_IMAGE}/versions/{version}` } };
  };

  const change = (planId: string, assetId: string, key = `wf-${planId}:apply:0:${assetId}`) => ({
    idempotencyKey: key,
    planId,
    assetId,
    toVersion: '1.5.0',
    maxConcurrency: 2,
  });

  const requests = (method: string, suffix: string) =>
    fake.server.requests((r) => r.method === method && r.path.toLowerCase().endsWith(suffix.toLowerCase()));

  beforeAll(async () => {
    endpoint = await fake.server.start();
    db = createDataSource({
      url: testDatabaseUrl('remediation'),
      service: 'remediation',
      entities: [],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...REMEDIATION_MIGRATIONS],
    });
    await db.initialize();
    await runMigrations(db);
  });

  afterAll(async () => {
    await fake.server.stop();
    await db.destroy();
  });

  beforeEach(() => {
    fake.server.reset();
    heartbeats.length = 0;
  });

  it('points the scale set at the gallery version and rolls it once for all its assets', async () => {
    const vmss = scaleSet('Rolling');
    const [a, b] = [randomUUID(), randomUUID()];
    const run = executor({ [a]: vmss.target, [b]: vmss.target });
    const planId = randomUUID();

    const results = await Promise.all([run.apply(change(planId, a)), run.apply(change(planId, b))]);

    expect(results.map((r) => r.outcome)).toEqual(['succeeded', 'succeeded']);
    expect(results[0]).toMatchObject({ fromVersion: '1.4.2', toVersion: '1.5.0', executedNow: true });
    expect(results[0].detail).toMatch(/rolling upgrade Completed \(3 upgraded, 0 failed\)/u);
    expect(fake.scaleSet(vmss.id)?.imageId).toBe(`${GALLERY_IMAGE}/versions/1.5.0`);
    const patches = requests('PATCH', vmss.name);
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toEqual({
      properties: {
        virtualMachineProfile: {
          storageProfile: { imageReference: { id: `${GALLERY_IMAGE}/versions/1.5.0` } },
        },
      },
    });
    expect(patches[0]?.authorization).toBe('Bearer fake-bearer');
    // The LRO was followed through Azure-AsyncOperation, every call carried the api-version.
    expect(fake.server.requests((r) => r.path.includes('/operations/')).length).toBeGreaterThan(0);
    expect(fake.server.received.every((r) => r.query['api-version'] === '2026-04-01')).toBe(true);
    // The Rolling policy started the upgrade on the model change; none was started besides it.
    expect(fake.upgradesStarted.get(vmss.name)).toBe(1);
    expect(requests('POST', '/osRollingUpgrade')).toHaveLength(0);
    expect(heartbeats).toEqual(
      expect.arrayContaining([expect.objectContaining({ phase: 'RollingForward' })]),
    );

    // A retried activity returns the recorded outcome; a later wave's asset shares the group's rollout.
    fake.server.reset();
    const again = await run.apply(change(planId, a));
    expect(again).toMatchObject({ outcome: 'succeeded', executedNow: false });
    const c = randomUUID();
    const later = await executor({ [c]: vmss.target }).apply(change(planId, c, `wf-${planId}:apply:1:${c}`));
    expect(later).toMatchObject({
      outcome: 'succeeded',
      executedNow: true,
      fromVersion: '1.4.2',
      toVersion: '1.5.0',
    });
    expect(fake.server.received.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(fake.upgradesStarted.get(vmss.name)).toBe(1);
  });

  it('waits out 429 Retry-After and starts the upgrade itself on a manual scale set', async () => {
    const vmss = scaleSet('Manual');
    const asset = randomUUID();
    fake.server.failNext((r) => r.method === 'GET' && r.path.endsWith(vmss.name), 1, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
    });
    fake.server.failNext((r) => r.method === 'POST', 1, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'TooManyRequests', message: 'The request is being throttled.' } },
    });

    const result = await executor({ [asset]: vmss.target }).apply(change(randomUUID(), asset));

    expect(result.outcome).toBe('succeeded');
    expect(requests('POST', '/osRollingUpgrade')).toHaveLength(2);
    expect(fake.upgradesStarted.get(vmss.name)).toBe(1);
    expect(fake.scaleSet(vmss.id)?.imageId).toBe(`${GALLERY_IMAGE}/versions/1.5.0`);
  });

  it('joins an upgrade another attempt started instead of starting a second one', async () => {
    const vmss = scaleSet('Manual');
    fake.upgradePolls = 15;
    const [a, b] = [randomUUID(), randomUUID()];
    const planId = randomUUID();
    try {
      const first = executor({ [a]: vmss.target }).apply(change(planId, a));
      await waitFor(
        () => Promise.resolve((fake.upgradesStarted.get(vmss.name) ?? 0) > 0 ? true : undefined),
        {
          timeoutMs: 20_000,
          intervalMs: 10,
          description: 'the first attempt started the upgrade',
        },
      );
      // Another worker retries the activity while the upgrade runs.
      const second = await executor({ [b]: vmss.target }).apply(change(planId, b));
      expect(second.outcome).toBe('succeeded');
      expect((await first).outcome).toBe('succeeded');
      expect(fake.upgradesStarted.get(vmss.name)).toBe(1);
      expect(requests('PATCH', vmss.name)).toHaveLength(1);
    } finally {
      fake.upgradePolls = 2;
    }
  });

  it('reports a faulted upgrade as failed assets, and the revert restores the previous image', async () => {
    const vmss = scaleSet('Rolling');
    fake.badImages.add(`${GALLERY_IMAGE}/versions/1.5.0`);
    const asset = randomUUID();
    const planId = randomUUID();
    const run = executor({ [asset]: vmss.target });
    try {
      const applied = await run.apply(change(planId, asset));
      expect(applied.outcome).toBe('failed');
      expect(applied.detail).toMatch(/rolling upgrade Faulted.*MaxUnhealthyInstancePercent/u);

      const reverted = await run.revert({
        idempotencyKey: `wf-${planId}:revert:0:${asset}`,
        appliedKey: `wf-${planId}:apply:0:${asset}`,
        planId,
        assetId: asset,
        toVersion: '',
      });
      expect(reverted).toMatchObject({ outcome: 'succeeded', fromVersion: '1.5.0', toVersion: '1.4.2' });
      expect(fake.scaleSet(vmss.id)?.imageId).toBe(`${GALLERY_IMAGE}/versions/1.4.2`);
      expect(fake.upgradesStarted.get(vmss.name)).toBe(2);
      const rows = await db.query<{ action: string; previous_image: string; outcome: string }[]>(
        `SELECT action, previous_image, outcome FROM cloud_group_rollouts WHERE plan_id = $1 ORDER BY action`,
        [planId],
      );
      expect(rows).toEqual([
        { action: 'apply', previous_image: `${GALLERY_IMAGE}/versions/1.4.2`, outcome: 'failed' },
        { action: 'revert', previous_image: `${GALLERY_IMAGE}/versions/1.5.0`, outcome: 'succeeded' },
      ]);
    } finally {
      fake.badImages.clear();
    }
  });

  it('fails an asset that belongs to no configured scale set', async () => {
    const asset = randomUUID();
    const result = await executor({}).apply(change(randomUUID(), asset));
    expect(result).toMatchObject({ outcome: 'failed', executedNow: true });
    expect(fake.server.received).toEqual([]);
  });
});
