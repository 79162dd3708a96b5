import { EC2Client } from '@aws-sdk/client-ec2';
import { SSMClient } from '@aws-sdk/client-ssm';
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
import { Ec2TagResolver } from './aws-ec2-tag.resolver';
import { AwsInstanceOperationExecutor } from './aws-instance-operation.executor';
import { AwsRootVolumeOperation, OPERATION_TAG } from './aws-root-volume.operation';
import { AwsSsmAutomationOperation } from './aws-ssm-automation.operation';

// Instances and AMIs (and so the asset and version lookups) live in moto; moto 5.2 has neither
// root-volume replacement nor SSM Automation, so those calls go to the loopback fake of the
// documented EC2 query and SSM JSON 1.1 APIs.
const motoUp = reachable(MOTO_URL);
if (!motoUp) process.stderr.write(`\nAWS instance executor tests SKIPPED: no moto server at ${MOTO_URL}\n\n`);
const describeWithMoto = motoUp ? describe : describe.skip;

describeWithMoto(
  `AWS per-instance executors (lookups on moto at ${MOTO_URL}, operations on the documented-API fake)`,
  () => {
    const fake = new AwsLongOperationsFake(2);
    let moto: EC2Client;
    let fakeEc2: EC2Client;
    let fakeSsm: SSMClient;
    let db: DataSource;
    let resolver: Ec2TagResolver;
    const v1 = `1.0.${randomUUID().slice(0, 8)}`;
    const v2 = `2.0.${randomUUID().slice(0, 8)}`;
    let ami1 = '';
    let ami2 = '';
    const settings = { pollIntervalMs: 20, timeoutMs: 20_000 };

    beforeAll(async () => {
      await fake.start();
      const peer = { endpoint: fake.url, region: 'us-east-1', credentials: AWS_TEST_CREDENTIALS };
      fakeEc2 = new EC2Client(peer);
      fakeSsm = new SSMClient(peer);
      moto = motoEc2();
      resolver = new Ec2TagResolver(moto);
      db = await openExecutorDatabase();
      const builder = await launchTagged(moto, `builder-${randomUUID()}`);
      ami1 = await goldenImage(moto, builder.instanceId, v1);
      ami2 = await goldenImage(moto, builder.instanceId, v2);
    });

    afterAll(async () => {
      for (const c of [moto, fakeEc2, fakeSsm]) c.destroy();
      await fake.stop();
      await db.destroy();
    });

    const keys = (assetId: string) => {
      const workflowId = `wf-${randomUUID()}`;
      return {
        apply: {
          idempotencyKey: `${workflowId}:apply:0:${assetId}`,
          planId: randomUUID(),
          assetId,
          toVersion: v2,
        },
        revert: (planId: string) => ({
          idempotencyKey: `${workflowId}:revert:0:${assetId}`,
          appliedKey: `${workflowId}:apply:0:${assetId}`,
          planId,
          assetId,
          toVersion: '',
        }),
      };
    };

    describe('root-volume replacement', () => {
      let executor: AwsInstanceOperationExecutor;
      beforeAll(() => {
        executor = new AwsInstanceOperationExecutor(
          new AwsRootVolumeOperation(fakeEc2, resolver),
          resolver,
          db,
          settings,
        );
      });

      it('replaces the root volume from the target AMI once per key, through throttling and paging, and back on revert', async () => {
        const assetId = randomUUID();
        const { instanceId } = await launchTagged(moto, assetId, ami1);
        // Earlier replacements of the same instance, so finding this key's task pages.
        for (let i = 0; i < 3; i++) {
          fake.rootVolumeTasks.push({
            id: `replacevol-old${i}`,
            instanceId,
            imageId: ami1,
            state: 'succeeded',
            startTime: new Date(Date.now() - 86_400_000),
            tags: {},
            fails: false,
          });
        }
        const { apply, revert } = keys(assetId);
        fake.throttle('ec2:CreateReplaceRootVolumeTask', 2);
        fake.throttle('ec2:DescribeReplaceRootVolumeTasks', 1);
        const first = await executor.apply(apply);
        expect(first).toMatchObject({
          outcome: 'succeeded',
          fromVersion: v1,
          toVersion: v2,
          executedNow: true,
        });
        const mine = () =>
          fake.rootVolumeTasks.filter(
            (t) => t.instanceId === instanceId && !t.id.startsWith('replacevol-old'),
          );
        expect(mine()).toHaveLength(1);
        expect(mine()[0]).toMatchObject({ imageId: ami2, state: 'succeeded' });
        expect(Object.keys(mine()[0]?.tags ?? {})).toEqual([OPERATION_TAG]);
        expect(fake.count('ec2:CreateReplaceRootVolumeTask')).toBeGreaterThanOrEqual(3);

        expect(await executor.apply(apply)).toMatchObject({ executedNow: false });
        await db.query('DELETE FROM executor_side_effects WHERE idempotency_key = $1', [
          apply.idempotencyKey,
        ]);
        await db.query('DELETE FROM executor_operations WHERE idempotency_key = $1', [apply.idempotencyKey]);
        // moto's instance still reports the old AMI, so the from-version is read as before.
        expect(await executor.apply(apply)).toMatchObject({
          outcome: 'succeeded',
          fromVersion: v1,
          executedNow: true,
        });
        expect(mine()).toHaveLength(1);

        expect(await executor.revert(revert(apply.planId))).toMatchObject({
          outcome: 'succeeded',
          fromVersion: v2,
          toVersion: v1,
        });
        expect(mine().map((t) => t.imageId)).toEqual([ami2, ami1]);
      });

      it('reports a failed replacement as a failed asset, whose revert is skipped', async () => {
        const assetId = randomUUID();
        const { instanceId } = await launchTagged(moto, assetId, ami1);
        fake.failingInstances.add(instanceId);
        const { apply, revert } = keys(assetId);
        expect(await executor.apply(apply)).toMatchObject({
          outcome: 'failed',
          detail: expect.stringContaining('failed') as unknown,
        });
        expect(await executor.revert(revert(apply.planId))).toMatchObject({ outcome: 'skipped' });
      });
    });

    describe('SSM Automation', () => {
      let executor: AwsInstanceOperationExecutor;
      beforeAll(() => {
        executor = new AwsInstanceOperationExecutor(
          new AwsSsmAutomationOperation(fakeSsm, resolver, {
            documentName: 'RF-ReplaceRootVolume',
            parameters: { InstanceId: ['{instanceId}'], ImageId: ['{imageId}'], Version: ['{version}'] },
          }),
          resolver,
          db,
          settings,
        );
      });

      it('starts one execution per key with the instance and AMI, through throttling, and reverts with the version before', async () => {
        const assetId = randomUUID();
        const { instanceId } = await launchTagged(moto, assetId, ami1);
        const { apply, revert } = keys(assetId);
        fake.throttle('ssm:StartAutomationExecution', 2);
        fake.throttle('ssm:GetAutomationExecution', 1);
        expect(await executor.apply(apply)).toMatchObject({
          outcome: 'succeeded',
          fromVersion: v1,
          toVersion: v2,
        });
        const mine = () => fake.automations.filter((a) => a.parameters['InstanceId']?.[0] === instanceId);
        expect(mine()).toHaveLength(1);
        expect(mine()[0]).toMatchObject({
          documentName: 'RF-ReplaceRootVolume',
          parameters: { InstanceId: [instanceId], ImageId: [ami2], Version: [v2] },
          status: 'Success',
        });
        expect(mine()[0]?.clientToken).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/u,
        );

        await db.query('DELETE FROM executor_side_effects WHERE idempotency_key = $1', [
          apply.idempotencyKey,
        ]);
        await db.query('DELETE FROM executor_operations WHERE idempotency_key = $1', [apply.idempotencyKey]);
        expect(await executor.apply(apply)).toMatchObject({ outcome: 'succeeded', executedNow: true });
        expect(mine()).toHaveLength(1);

        expect(await executor.revert(revert(apply.planId))).toMatchObject({
          outcome: 'succeeded',
          toVersion: v1,
        });
        expect(mine().map((a) => a.parameters['ImageId']?.[0])).toEqual([ami2, ami1]);
      });

      it('reports a failed execution with its failure message', async () => {
        const assetId = randomUUID();
        const { instanceId } = await launchTagged(moto, assetId, ami1);
        fake.failingInstances.add(instanceId);
        const { apply } = keys(assetId);
        const result = await executor.apply(apply);
        expect(result).toMatchObject({ outcome: 'failed' });
        expect(result.detail).toContain('Failed Step fails');
      });
    });
  },
);
