import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  AWS_TEST_CREDENTIALS,
  goldenImage,
  launchTagged,
  MOTO_URL,
  motoEc2,
  openExecutorDatabase,
  reachable,
} from '../../testing/aws-executor.fixture';
import { AwsLongOperationsFake } from '../../testing/aws-long-operations.fake';
import { AwsAsgRefreshExecutor } from './aws-asg-refresh.executor';
import { ASSET_ID_TAG, Ec2TagResolver } from './aws-ec2-tag.resolver';

// Launch templates and AMIs live in moto; moto 5.2 has no instance refresh, so the Auto Scaling
// calls go to the loopback fake of the documented query API.
const motoUp = reachable(MOTO_URL);
if (!motoUp) process.stderr.write(`\nASG refresh executor tests SKIPPED: no moto server at ${MOTO_URL}\n\n`);
const describeWithMoto = motoUp ? describe : describe.skip;

describeWithMoto(
  `AwsAsgRefreshExecutor (EC2 on moto at ${MOTO_URL}, Auto Scaling on the documented-API fake)`,
  () => {
    const fake = new AwsLongOperationsFake(2);
    let autoScaling: AutoScalingClient;
    let ec2: EC2Client;
    let db: DataSource;
    let executor: AwsAsgRefreshExecutor;
    const v1 = `1.0.${randomUUID().slice(0, 8)}`;
    const v2 = `2.0.${randomUUID().slice(0, 8)}`;
    let ami1 = '';
    let ami2 = '';

    beforeAll(async () => {
      await fake.start();
      autoScaling = new AutoScalingClient({
        endpoint: fake.url,
        region: 'us-east-1',
        credentials: AWS_TEST_CREDENTIALS,
      });
      ec2 = motoEc2();
      db = await openExecutorDatabase();
      const builder = await launchTagged(ec2, `builder-${randomUUID()}`);
      ami1 = await goldenImage(ec2, builder.instanceId, v1);
      ami2 = await goldenImage(ec2, builder.instanceId, v2);
      executor = new AwsAsgRefreshExecutor(autoScaling, ec2, new Ec2TagResolver(ec2), db, {
        minHealthyPercentage: 90,
        pollIntervalMs: 20,
        timeoutMs: 20_000,
      });
    });

    afterAll(async () => {
      autoScaling.destroy();
      ec2.destroy();
      await fake.stop();
      await db.destroy();
    });

    async function groupFor(assetId: string): Promise<{ name: string; templateId: string }> {
      const template = await ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: `rf-${randomUUID()}`,
          LaunchTemplateData: { ImageId: ami1, InstanceType: 't3.micro' },
        }),
      );
      const templateId = template.LaunchTemplate?.LaunchTemplateId ?? '';
      const name = `asg-${randomUUID().slice(0, 8)}`;
      fake.addGroup({ name, launchTemplateId: templateId, version: '1', tags: { [ASSET_ID_TAG]: assetId } });
      // Refreshes from before, so that finding this key's refresh has to page.
      for (let i = 0; i < 3; i++) {
        fake.refreshes.push({
          id: randomUUID(),
          group: name,
          status: 'Successful',
          percentage: 100,
          startTime: new Date(Date.now() - 86_400_000 * (i + 1)),
          minHealthyPercentage: 90,
          launchTemplateId: templateId,
          version: '1',
          fails: false,
        });
      }
      return { name, templateId };
    }

    it('refreshes the group onto a new launch template version once per key, then back on revert', async () => {
      const assetId = randomUUID();
      const group = await groupFor(assetId);
      const workflowId = `wf-${randomUUID()}`;
      const progress: string[] = [];
      const change = {
        idempotencyKey: `${workflowId}:apply:0:${assetId}`,
        planId: randomUUID(),
        assetId,
        toVersion: v2,
        onProgress: (d: string) => progress.push(d),
      };
      fake.throttle('autoscaling:DescribeInstanceRefreshes', 2);

      const first = await executor.apply(change);
      expect(first).toMatchObject({
        outcome: 'succeeded',
        fromVersion: v1,
        toVersion: v2,
        executedNow: true,
      });
      expect(progress.some((p) => p.includes('InProgress 50%'))).toBe(true);
      const versions = await ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: group.templateId }),
      );
      const created = versions.LaunchTemplateVersions?.find((v) => v.VersionNumber === 2);
      expect(created?.LaunchTemplateData?.ImageId).toBe(ami2);
      expect(fake.groups.get(group.name)).toMatchObject({ version: '2' });
      const started = () =>
        fake.refreshes.filter(
          (r) => r.group === group.name && r.startTime.getTime() > Date.now() - 3_600_000,
        );
      expect(started()).toHaveLength(1);
      expect(started()[0]).toMatchObject({ minHealthyPercentage: 90, version: '2', status: 'Successful' });

      expect(await executor.apply(change)).toMatchObject({ outcome: 'succeeded', executedNow: false });
      // The process died before anything was recorded: the version and the refresh are found again.
      await db.query('DELETE FROM executor_side_effects WHERE idempotency_key = $1', [change.idempotencyKey]);
      await db.query('DELETE FROM executor_operations WHERE idempotency_key = $1', [change.idempotencyKey]);
      const listCalls = fake.count('autoscaling:DescribeInstanceRefreshes');
      expect(await executor.apply(change)).toMatchObject({ outcome: 'succeeded', executedNow: true });
      expect(started()).toHaveLength(1);
      expect(fake.count('autoscaling:DescribeInstanceRefreshes') - listCalls).toBeGreaterThanOrEqual(2);
      const after = await ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: group.templateId }),
      );
      expect(after.LaunchTemplateVersions).toHaveLength(2);

      const revert = {
        idempotencyKey: `${workflowId}:revert:0:${assetId}`,
        appliedKey: change.idempotencyKey,
        planId: change.planId,
        assetId,
        toVersion: '',
      };
      expect(await executor.revert(revert)).toMatchObject({
        outcome: 'succeeded',
        fromVersion: v2,
        toVersion: v1,
      });
      expect(await executor.revert(revert)).toMatchObject({ executedNow: false });
      expect(fake.groups.get(group.name)).toMatchObject({ version: '1' });
      expect(started()).toHaveLength(2);
    });

    it('reports a failed refresh as a failed asset, and its revert refreshes the replaced instances back', async () => {
      const assetId = randomUUID();
      const group = await groupFor(assetId);
      fake.failingGroups.add(group.name);
      const workflowId = `wf-${randomUUID()}`;
      const change = {
        idempotencyKey: `${workflowId}:apply:0:${assetId}`,
        planId: randomUUID(),
        assetId,
        toVersion: v2,
      };
      const result = await executor.apply(change);
      expect(result).toMatchObject({ outcome: 'failed', fromVersion: v1, toVersion: v2 });
      expect(result.detail).toContain('Failed Instances failed to pass their health checks');
      expect(fake.groups.get(group.name)).toMatchObject({ version: '1' });

      const reverted = await executor.revert({
        idempotencyKey: `${workflowId}:revert:0:${assetId}`,
        appliedKey: change.idempotencyKey,
        planId: change.planId,
        assetId,
        toVersion: '',
      });
      expect(reverted).toMatchObject({ outcome: 'succeeded', toVersion: v1 });
      const last = fake.refreshes.filter((r) => r.group === group.name).at(-1);
      expect(last).toMatchObject({ version: '1', status: 'Successful' });
    });

    it('fails an asset no group is tagged with, without starting anything', async () => {
      const before = fake.count('autoscaling:StartInstanceRefresh');
      await expect(
        executor.apply({
          idempotencyKey: `wf-${randomUUID()}:apply:0:x`,
          planId: randomUUID(),
          assetId: randomUUID(),
          toVersion: v2,
        }),
      ).rejects.toMatchObject({ code: 'REMEDIATION.EXECUTOR_FAILED' });
      expect(fake.count('autoscaling:StartInstanceRefresh')).toBe(before);
    });
  },
);
