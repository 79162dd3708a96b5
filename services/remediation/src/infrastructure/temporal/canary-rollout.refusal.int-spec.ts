import { buildSignedPolicyBundle } from '@rf/platform-auth/testing';
import { connectTemporal } from '@rf/platform-temporal';
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { bundleRemediationWorkflows, remediationTestConfig } from '../../testing/remediation-test.harness';
import { createRemediationWorker, registerSearchAttributes } from './remediation-worker.factory';
import type { RemediationActivities } from './remediation.activities';
import { canaryRolloutWorkflow } from './workflows/canary-rollout.workflow';

/**
 * The rollout when the policy gate refuses a wave as it is applied (a window closed or a freeze
 * began after the wave's gate): the activities are stand-ins, the workflow and Temporal are real.
 */
describe('a canary rollout whose wave the policy refuses as it is applied', () => {
  jest.setTimeout(120_000);
  const policy = buildSignedPolicyBundle();
  const config = remediationTestConfig(policy);
  const calls: { name: string; input: unknown }[] = [];
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  let client: Client;

  /** Records each call; applyWave refuses its second wave as the guard does. */
  const activities = (): RemediationActivities => {
    const record =
      <T>(name: string, result: T) =>
      (input: unknown): Promise<T> => {
        calls.push({ name, input });
        return Promise.resolve(result);
      };
    return {
      gateWave: record('gateWave', { outcome: 'allow', decisionId: randomUUID(), reasons: [] }),
      recordWaveStarted: record('recordWaveStarted', { startedAt: new Date().toISOString() }),
      applyWave: (input: { wave: { index: number; assetIds: string[] } }) => {
        calls.push({ name: 'applyWave', input });
        if (input.wave.index === 1) {
          return Promise.reject(
            ApplicationFailure.nonRetryable(
              "remediation.start denied by rf.remediation: change freeze 'year-end' is in effect",
              'POLICY.DENIED',
            ),
          );
        }
        return Promise.resolve({
          succeededAssetIds: input.wave.assetIds,
          failedAssetIds: [],
          skippedAssetIds: [],
          tripped: false,
        });
      },
      analyseWaveHealth: record('analyseWaveHealth', { verdict: 'success', reason: 'healthy' }),
      recordWaveCompleted: record('recordWaveCompleted', undefined),
      recordPlanStatus: record('recordPlanStatus', undefined),
      recordPlanCompleted: record('recordPlanCompleted', undefined),
      revertWave: record('revertWave', { reverted: 1 }),
      recordPlanRolledBack: record('recordPlanRolledBack', undefined),
    } as unknown as RemediationActivities;
  };

  beforeAll(async () => {
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const connection = await connectTemporal(temporal);
    await registerSearchAttributes(connection, temporal.namespace);
    client = new Client({ connection, namespace: temporal.namespace });
    ({ worker, connection: native } = await createRemediationWorker({
      temporal,
      taskQueue: config.remediation.taskQueue,
      activities: activities(),
      workflowBundle: await bundleRemediationWorkflows(),
    }));
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await native.close();
    await client.connection.close();
    rmSync(policy.dir, { recursive: true, force: true });
  });

  it('rolls back what ran, naming the refusal, instead of failing the workflow', async () => {
    const planId = randomUUID();
    const wave = (index: number) => ({
      index,
      assetIds: [randomUUID()],
      maxConcurrency: 1,
      maxFailures: 0,
      soakSeconds: 0,
    });
    const result = await client.workflow.execute(canaryRolloutWorkflow, {
      workflowId: `remediation-plan-${planId}`,
      taskQueue: config.remediation.taskQueue,
      args: [
        {
          planId,
          family: 'ubuntu-22-04-base',
          toVersion: '2025.11.1',
          environment: 'prod',
          autonomyLevel: 4,
          riskScore: 20,
          fleetSize: 100,
          humanApproved: false,
          waves: [wave(0), wave(1)],
        },
      ],
    });
    expect(result).toMatchObject({ outcome: 'rolled_back', wavesCompleted: 1, assetsRolledBack: 2 });
    const applies = calls.filter((c) => c.name === 'applyWave').map((c) => c.input);
    expect(applies).toEqual([
      expect.objectContaining({
        gate: { autonomyLevel: 4, riskScore: 20, fleetSize: 100, environment: 'prod', approved: false },
      }),
      expect.objectContaining({ wave: expect.objectContaining({ index: 1 }) as unknown }),
    ]);
    // Both waves are compensated, last first: the refused one may have been partly applied.
    expect(
      calls.filter((c) => c.name === 'revertWave').map((c) => (c.input as { waveIndex: number }).waveIndex),
    ).toEqual([1, 0]);
    expect(calls.find((c) => c.name === 'recordPlanRolledBack')?.input).toMatchObject({
      planId,
      trigger: 'policy_denied',
      failedWaveIndex: 1,
      reason: expect.stringContaining(
        'wave 1 refused as it was applied: remediation.start denied by rf.remediation',
      ) as string,
      initiatedBy: { kind: 'policy', id: 'rf.remediation' },
    });
  });
});
