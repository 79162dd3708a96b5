import type { AccessToken, TokenCredential } from '@azure/identity';
import type { INestApplication } from '@nestjs/common';
import type { UnitOfWork } from '@rf/platform-events';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { LOOPBACK_TLS } from '@rf/platform-testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { OAuth2Client } from 'google-auth-library';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RemediationExecutor } from './application/ports/remediation-executor.port';
import { REMEDIATION_GATE } from './application/remediation.tokens';
import type { WaveGate } from './application/wave-gate';
import { SystemClock } from './infrastructure/clock/system.clock';
import { AzureVmssRollingUpgradeDriver } from './infrastructure/executors/cloud-group/azure-vmss-rolling-upgrade.driver';
import type { CloudGroupTarget } from './infrastructure/executors/cloud-group/cloud-group-rollout.driver';
import { CloudGroupRolloutExecutor } from './infrastructure/executors/cloud-group/cloud-group-rollout.executor';
import { GcpMigRollingUpdateDriver } from './infrastructure/executors/cloud-group/gcp-mig-rolling-update.driver';
import { AzureComputeFake } from './infrastructure/executors/cloud-group/testing/azure-compute.fake';
import { GcpComputeFake } from './infrastructure/executors/cloud-group/testing/gcp-compute.fake';
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

/** One provider's fake with two groups: the canary's, which upgrades fine, and one whose upgrade fails. */
interface CloudFleet {
  readonly title: string;
  start(db: DataSource): Promise<RemediationExecutor>;
  /** Group paths by asset: the first two assets in the canary's group, the others in the failing one. */
  targets(assets: readonly string[]): Record<string, CloudGroupTarget>;
  /** What each group runs now, and how many rollouts each saw. */
  state(): { canary: string; main: string; canaryRollouts: number; mainRollouts: number };
  readonly before: { canary: string; main: string };
  stop(): Promise<void>;
}

const SUBSCRIPTION = '00000000-0000-4000-8000-000000000002';
const GALLERY_IMAGE = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/golden/images/rhel9-golden`;

function azureFleet(): CloudFleet {
  const fake = new AzureComputeFake();
  const add = (name: string, mode: 'Rolling' | 'Manual') =>
    fake.addScaleSet({
      subscription: SUBSCRIPTION,
      resourceGroup: 'rg-web',
      name,
      mode,
      imageId: `${GALLERY_IMAGE}/versions/1.4.2`,
      capacity: 2,
    });
  const canary = add('vmss-canary', 'Rolling');
  const main = add('vmss-main', 'Manual');
  fake.faultyScaleSets.add('vmss-main');
  const image = `${GALLERY_IMAGE}/versions/{version}`;
  const token: TokenCredential = {
    getToken: (): Promise<AccessToken> =>
      Promise.resolve({ token: 'fake-bearer', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  let targets: Record<string, CloudGroupTarget> = {};
  return {
    title: 'Azure scale sets',
    async start(db) {
      const endpoint = await fake.server.start();
      return new CloudGroupRolloutExecutor(
        db,
        new AzureVmssRollingUpgradeDriver(token, {
          endpoint,
          caCertificate: LOOPBACK_TLS.cert,
          pollIntervalMs: 20,
          timeoutMs: 30_000,
        }),
        { resolve: (assetId) => targets[assetId] },
        () => undefined,
      );
    },
    targets(assets) {
      targets = Object.fromEntries(assets.map((a, i) => [a, { group: i < 2 ? canary : main, image }]));
      return targets;
    },
    state: () => ({
      canary: fake.scaleSet(canary)?.imageId ?? '',
      main: fake.scaleSet(main)?.imageId ?? '',
      canaryRollouts: fake.upgradesStarted.get('vmss-canary') ?? 0,
      mainRollouts: fake.upgradesStarted.get('vmss-main') ?? 0,
    }),
    before: { canary: `${GALLERY_IMAGE}/versions/1.4.2`, main: `${GALLERY_IMAGE}/versions/1.4.2` },
    stop: () => fake.server.stop(),
  };
}

function gcpFleet(): CloudFleet {
  const fake = new GcpComputeFake();
  const images = 'projects/rf-golden-images/global/images';
  const add = (name: string, zone: string) => {
    const template = fake.addTemplate('rf-prod-shop', `${name}-base`, `${images}/${name}-1-4-2`);
    return {
      template,
      path: fake.addMig({ project: 'rf-prod-shop', zone, region: null, name, template, targetSize: 2 }),
    };
  };
  const canary = add('mig-canary', 'europe-west1-b');
  const main = add('mig-main', 'europe-west1-c');
  fake.badImages.add(`${images}/mig-main-1-5-0`);
  let targets: Record<string, CloudGroupTarget> = {};
  let driver: GcpMigRollingUpdateDriver | undefined;
  return {
    title: 'GCP managed instance groups',
    async start(db) {
      const endpoint = await fake.server.start();
      // Node's fetch: under Jest's module sandbox gaxios cannot load its default fetch dynamically.
      const bearer = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
      bearer.setCredentials({ access_token: 'fake-bearer', expiry_date: Date.now() + 3_600_000 });
      driver = new GcpMigRollingUpdateDriver({
        endpoint,
        authClient: bearer,
        pollIntervalMs: 20,
        timeoutMs: 30_000,
        throttleRetries: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      });
      return new CloudGroupRolloutExecutor(
        db,
        driver,
        { resolve: (assetId) => targets[assetId] },
        () => undefined,
      );
    },
    targets(assets) {
      targets = Object.fromEntries(
        assets.map((a, i) => {
          const group = i < 2 ? canary : main;
          const name = i < 2 ? 'mig-canary' : 'mig-main';
          return [a, { group: group.path, image: `${images}/${name}-{versionSlug}` }];
        }),
      );
      return targets;
    },
    state: () => ({
      canary: fake.mig(canary.path)?.template ?? '',
      main: fake.mig(main.path)?.template ?? '',
      canaryRollouts: fake.patches.get('mig-canary') ?? 0,
      mainRollouts: fake.patches.get('mig-main') ?? 0,
    }),
    before: { canary: canary.template, main: main.template },
    async stop() {
      await driver?.close();
      await fake.server.stop();
    },
  };
}

describe.each([azureFleet, gcpFleet].map((make) => [make().title, make] as const))(
  'a plan over %s',
  (_title, makeFleet) => {
    jest.setTimeout(180_000);
    const fleet = makeFleet();
    let config: RemediationConfig;
    let app: INestApplication;
    let url: string;
    let db: DataSource;
    let worker: Worker;
    let native: NativeConnection;
    let running: Promise<void>;
    const assets = Array.from({ length: 4 }, () => randomUUID()).sort();
    fleet.targets(assets);

    beforeAll(async () => {
      config = remediationTestConfig(buildSignedPolicyBundle());
      await resetRemediationDatabase(config);
      ({ app, url } = await startRemediationApp(config));
      db = app.get(DataSource);
      const temporal = config.temporal ?? { address: '', namespace: '' };
      const activities = createRemediationActivities({
        unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
        gate: app.get<WaveGate>(REMEDIATION_GATE),
        executor: await fleet.start(db),
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
    }, 120_000);

    afterAll(async () => {
      worker.shutdown();
      await running;
      await native.close();
      await app.close();
      await fleet.stop();
    });

    it('rolls every group back to what it ran when the second wave fails', async () => {
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
      // Waves of two sorted assets: the canary's two in one group, the next wave's in the other.
      expect(plan.waves.map((w) => w.assetIds)).toEqual([assets.slice(0, 2), assets.slice(2)]);
      if (plan.status === 'awaiting_approval') {
        await fetch(`${url}/api/v1/remediation/plans/${plan.id}/approve`, {
          method: 'POST',
          headers,
          body: '{}',
        });
      }
      await fetch(`${url}/api/v1/remediation/plans/${plan.id}/start`, {
        method: 'POST',
        headers,
        body: '{}',
      });

      await waitForPlanStatus(db, plan.id, 'rolled_back', 120_000);

      // The canary's group went to 1.5.0 and back; the failing one was restored too.
      expect(fleet.state()).toEqual({
        canary: fleet.before.canary,
        main: fleet.before.main,
        canaryRollouts: 2,
        mainRollouts: 2,
      });
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
  },
);
