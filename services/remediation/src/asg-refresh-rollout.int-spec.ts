import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { INestApplication } from '@nestjs/common';
import type { UnitOfWork } from '@rf/platform-events';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { connectTemporal } from '@rf/platform-temporal';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { REMEDIATION_GATE } from './application/remediation.tokens';
import type { WaveGate } from './application/wave-gate';
import { SystemClock } from './infrastructure/clock/system.clock';
import { AwsAsgRefreshExecutor } from './infrastructure/executors/aws-asg-refresh.executor';
import { ASSET_ID_TAG, Ec2TagResolver } from './infrastructure/executors/aws-ec2-tag.resolver';
import {
  createRemediationWorker,
  registerSearchAttributes,
} from './infrastructure/temporal/remediation-worker.factory';
import { createRemediationActivities } from './infrastructure/temporal/remediation.activities';
import {
  AWS_TEST_CREDENTIALS,
  goldenImage,
  launchTagged,
  MOTO_URL,
  motoEc2,
  reachable,
} from './testing/aws-executor.fixture';
import { AwsLongOperationsFake } from './testing/aws-long-operations.fake';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  forwardedCaller,
  planEvents,
  remediationTestConfig,
  startRemediationApp,
  waitForPlanStatus,
} from './testing/remediation-test.harness';

const EV = (name: string) => `io.resiliencefabric.${name}.v1`;
const motoUp = reachable(MOTO_URL);
if (!motoUp) process.stderr.write(`\nASG rollout test SKIPPED: no moto server at ${MOTO_URL}\n\n`);
const describeWithMoto = motoUp ? describe : describe.skip;

describeWithMoto('a rollout through the ASG instance refresh executor', () => {
  jest.setTimeout(180_000);
  const fake = new AwsLongOperationsFake(2);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  let ec2: EC2Client;
  let autoScaling: AutoScalingClient;
  const v1 = `1.0.${randomUUID().slice(0, 8)}`;
  const v2 = `2.0.${randomUUID().slice(0, 8)}`;
  let ami1 = '';

  beforeAll(async () => {
    await fake.start();
    ec2 = motoEc2();
    autoScaling = new AutoScalingClient({
      endpoint: fake.url,
      region: 'us-east-1',
      credentials: AWS_TEST_CREDENTIALS,
    });
    const builder = await launchTagged(ec2, `builder-${randomUUID()}`);
    ami1 = await goldenImage(ec2, builder.instanceId, v1);
    await goldenImage(ec2, builder.instanceId, v2);

    // A task queue of its own, so no other worker on the shared Temporal runs these plans.
    const config = remediationTestConfig(buildSignedPolicyBundle(), {
      RF_REMEDIATION_TASK_QUEUE: `rf-remediation-asg-${randomUUID().slice(0, 8)}`,
    });
    ({ app, url } = await startRemediationApp(config));
    db = app.get(DataSource);
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const connection = await connectTemporal(temporal);
    await registerSearchAttributes(connection, temporal.namespace);
    await connection.close();
    const activities = createRemediationActivities({
      unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
      gate: app.get<WaveGate>(REMEDIATION_GATE),
      executor: new AwsAsgRefreshExecutor(autoScaling, ec2, new Ec2TagResolver(ec2), db, {
        minHealthyPercentage: 90,
        pollIntervalMs: 20,
        timeoutMs: 30_000,
      }),
      // Healthy groups: the wave that fails, fails through its refresh.
      metrics: { name: 'healthy', sample: () => Promise.resolve([{ source: 'asg', bad: 0, total: 10 }]) },
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
    autoScaling.destroy();
    ec2.destroy();
    await fake.stop();
  });

  const post = async (path: string, body: unknown = {}) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...(await forwardedCaller()), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { id: string; status: string; waves: { assetIds: string[] }[] },
    };
  };

  it('rolls the refreshed canary group back when a refresh of the next wave fails', async () => {
    const assets = Array.from({ length: 3 }, () => randomUUID()).sort();
    const groups: string[] = [];
    for (const assetId of assets) {
      const template = await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: `rf-${randomUUID()}`,
          LaunchTemplateData: { ImageId: ami1, InstanceType: 't3.micro' },
        }),
      );
      const name = `asg-${randomUUID().slice(0, 8)}`;
      fake.addGroup({
        name,
        launchTemplateId: template.LaunchTemplate?.LaunchTemplateId ?? '',
        version: '1',
        tags: { [ASSET_ID_TAG]: assetId },
      });
      groups.push(name);
    }
    // Waves of 1 and 2 (sorted ids): the refresh of the second wave's first group fails.
    fake.failingGroups.add(groups[1] ?? '');

    const created = await post('/api/v1/remediation/plans', {
      family: 'rhel-9-base',
      toVersion: v2,
      environment: 'staging',
      assetIds: assets,
      vulnerability: { id: 'CVE-2025-0001', severity: 0.9, exploitability: 0.9 },
      factors: { assetCriticality: 0.9 },
      wavePolicy: { canaryPercent: 34, waveCount: 2, errorThresholdPercent: 0, soakSeconds: 1 },
      requestedBy: { kind: 'user', id: 'u-requester' },
    });
    expect(created.status).toBe(201);
    expect(created.body.waves.map((w) => w.assetIds.length)).toEqual([1, 2]);
    const planId = created.body.id;
    if (created.body.status === 'awaiting_approval') {
      await post(`/api/v1/remediation/plans/${planId}/approve`, {
        approver: { kind: 'user', id: 'u-approver' },
      });
    }
    expect((await post(`/api/v1/remediation/plans/${planId}/start`)).status).toBe(200);

    await waitForPlanStatus(db, planId, 'rolled_back', 120_000);
    const events = await planEvents(db, planId);
    const waveCompleted = events.filter((e) => e.event_type === EV('remediation.wave.completed'));
    expect(waveCompleted[1]?.data).toMatchObject({
      waveIndex: 1,
      outcome: 'failed',
      failedAssetIds: [assets[1]],
    });
    expect(events.at(-1)?.event_type).toBe(EV('remediation.rolled_back'));

    // The canary group was refreshed onto the new version, then back onto the one before.
    const canary = fake.refreshes.filter((r) => r.group === groups[0]);
    expect(canary.map((r) => [r.version, r.status])).toEqual([
      ['2', 'Successful'],
      ['1', 'Successful'],
    ]);
    expect(fake.groups.get(groups[0] ?? '')).toMatchObject({ version: '1' });
    // The failed group stays on its version; the third group was never refreshed.
    expect(fake.refreshes.find((r) => r.group === groups[1])).toMatchObject({
      version: '2',
      status: 'Failed',
    });
    expect(fake.refreshes.filter((r) => r.group === groups[2])).toHaveLength(0);
  });
});
