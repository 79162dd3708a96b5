import { stackEndpoints } from '@rf/platform-testing';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createProbeActivities } from './probe/probe.activities';
import { connectivityProbeWorkflow } from './probe/workflows/connectivity-probe.workflow';
import { connectTemporal } from './temporal-connection';
import { TemporalReadinessCheck } from './temporal.readiness-check';

const endpoints = stackEndpoints();
const settings = { address: endpoints.temporalAddress, namespace: endpoints.temporalNamespace };

describe('Temporal on the local stack', () => {
  it('runs a workflow with an activity to completion', async () => {
    const taskQueue = `rf-probe-${randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address: settings.address });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: settings.namespace,
      taskQueue,
      workflowsPath: require.resolve('./probe/workflows/connectivity-probe.workflow'),
      activities: createProbeActivities(),
    });
    const connection = await connectTemporal(settings);
    try {
      const client = new Client({ connection, namespace: settings.namespace });
      const result = await worker.runUntil(
        client.workflow.execute(connectivityProbeWorkflow, {
          taskQueue,
          workflowId: `probe-${taskQueue}`,
          args: ['ping'],
        }),
      );
      expect(result).toEqual({ token: 'ping', host: hostname() });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });

  it('reports ready through the readiness check', async () => {
    const check = new TemporalReadinessCheck(settings);
    await expect(check.check()).resolves.toBeUndefined();
    await check.close();
    const wrongNamespace = new TemporalReadinessCheck({ ...settings, namespace: `missing-${randomUUID()}` });
    await expect(wrongNamespace.check()).rejects.toThrow();
    await wrongNamespace.close();
  });
});
