import type { AccessToken, TokenCredential } from '@azure/identity';
import type { INestApplication } from '@nestjs/common';
import type { UnitOfWork } from '@rf/platform-events';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { LOOPBACK_TLS } from '@rf/platform-testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { REMEDIATION_GATE } from './application/remediation.tokens';
import type { WaveGate } from './application/wave-gate';
import { SystemClock } from './infrastructure/clock/system.clock';
import { AzureVmssRollingUpgradeDriver } from './infrastructure/executors/cloud-group/azure-vmss-rolling-upgrade.driver';
import { CloudGroupRolloutExecutor } from './infrastructure/executors/cloud-group/cloud-group-rollout.executor';
import { AzureComputeFake } from './infrastructure/executors/cloud-group/testing/azure-compute.fake';
import { createRemediationWorker } from './infrastructure/temporal/remediation-worker.factory';
import { createRemediationActivities } from './infrastructure/temporal/remediation.activities';
import type { RemediationConfig } from './remediation.config';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  forwardedCaller,
  planEvents,
  remediationTestConfig,
  resetRemediationDatabase,
  startRemediationApp,
  waitForPlanStatus,
} from './testing/remediation-test.harness';

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000002';
const GALLERY_IMAGE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/golden/images/rhel9-golden`;

const fixedToken: TokenCredential = {
  getToken: (): Promise<AccessToken> =>
    Promise.resolve({ token: 'fake-bearer', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('a plan over Azure scale sets', () => {
  jest.setTimeout(180_000);
  const fake = new AzureComputeFake();
  let config: RemediationConfig;
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  const assets = Array.from({ length: 4 }, () => randomUUID()).sort();
  const healthy = fake.addScaleSet({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-web',
    name: 'vmss-canary',
    mode: 'Rolling',
    imageId: `${GALLERY_IMAGE}/versions/1.4.2`,
    capacity: 2,
  });
  const failing = fake.addScaleSet({
    subscription: SUBSCRIPTION,
    resourceGroup: 'rg-web',
    name: 'vmss-main',
    mode: 'Manual',
    imageId: `${GALLERY_IMAGE}/versions/1.4.2`,
    capacity: 2,
  });
  const image = `${GALLERY_IMAGE}/versions/{version}`;
  // Waves of two sorted assets: the canary's two run in one scale set, the next wave's in the other.
  const targets = {
    [assets[0] ?? '']: { group: healthy, image },
    [assets[1] ?? '']: { group: healthy, image },
    [assets[2] ?? '']: { group: failing, image },
    [assets[3] ?? '']: { group: failing, image },
  };

  beforeAll(async () => {
    const endpoint = await fake.server.start();
    config = remediationTestConfig(buildSignedPolicyBundle());
    await resetRemediationDatabase(config);
    ({ app, url } = await startRemediationApp(config));
    db = app.get(DataSource);
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const executor = new CloudGroupRolloutExecutor(
      db,
      new AzureVmssRollingUpgradeDriver(fixedToken, {
        endpoint,
        caCertificate: LOOPBACK_TLS.cert,
        pollIntervalMs: 20,
        timeoutMs: 30_000,
      }),
      { resolve: (assetId) => targets[assetId] },
      () => undefined,
    );
    const activities = createRemediationActivities({
      unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
      gate: app.get<WaveGate>(REMEDIATION_GATE),
      executor,
      metrics: {
        name: 'steady',
        sample: () => Promise.resolve([{ source: 'steady', bad: 0, total: 100 }]),
      },
      clock: new SystemClock(),
      settings: config.remediation,
    });
    ({ worker, connection: native } = await createRemediationWorker({
      temporal,
      taskQueue: config.remediation.taskQueue,
      activities,
      workflowBundle: await bundleRemediationWorkflows(),
    }));
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await native.close();
    await app.close();
    await fake.server.stop();
  });

  it('rolls the scale sets back to their previous image when a rolling upgrade faults', async () => {
    fake.faultyScaleSets.add('vmss-main');
    const headers = { ...(await forwardedCaller('u-sre')), 'content-type': 'application/json' };
    const created = await fetch(`${url}/api/v1/remediation/plans`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        family: 'rhel9-golden',
        toVersion: '1.5.0',
        environment: 'dev',
        assetIds: assets,
        wavePolicy: { canaryPercent: 50, waveCount: 2, errorThresholdPercent: 0, soakSeconds: 0 },
      }),
    });
    expect(created.status).toBe(201);
    const plan = (await created.json()) as { id: string; status: string; waves: { assetIds: string[] }[] };
    expect(plan.waves.map((w) => w.assetIds)).toEqual([assets.slice(0, 2), assets.slice(2)]);
    if (plan.status === 'awaiting_approval') {
      await fetch(`${url}/api/v1/remediation/plans/${plan.id}/approve`, {
        method: 'POST',
        headers,
        body: '{}',
      });
    }
    await fetch(`${url}/api/v1/remediation/plans/${plan.id}/start`, { method: 'POST', headers, body: '{}' });

    await waitForPlanStatus(db, plan.id, 'rolled_back', 120_000);

    // The canary's scale set went to 1.5.0 and back; the faulted one was restored too.
    expect(fake.scaleSet(healthy)?.imageId).toBe(`${GALLERY_IMAGE}/versions/1.4.2`);
    expect(fake.scaleSet(failing)?.imageId).toBe(`${GALLERY_IMAGE}/versions/1.4.2`);
    expect(fake.upgradesStarted.get('vmss-canary')).toBe(2);
    expect(fake.upgradesStarted.get('vmss-main')).toBe(2);
    const effects = await db.query<{ action: string; outcome: string; n: string }[]>(
      `SELECT action, outcome, count(*) AS n FROM executor_side_effects WHERE plan_id = $1
        GROUP BY action, outcome ORDER BY action, outcome`,
      [plan.id],
    );
    // A wave that tolerates no failure runs one change at a time: the second asset was never started;
    // the revert restores each group once and every asset of the waves that ran shares it.
    expect(effects.map((e) => [e.action, e.outcome, Number(e.n)])).toEqual([
      ['apply', 'failed', 1],
      ['apply', 'succeeded', 2],
      ['revert', 'succeeded', 4],
    ]);
    const types = (await planEvents(db, plan.id)).map((e) => e.event_type);
    expect(types).toContain('io.resiliencefabric.remediation.rolled_back.v1');
  });
});
