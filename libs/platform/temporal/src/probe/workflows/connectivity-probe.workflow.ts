import { proxyActivities } from '@temporalio/workflow';
import type { ProbeActivities } from '../probe.activities';

export const PROBE_ACTIVITY_TIMEOUT = '10 seconds';

const { describeWorker } = proxyActivities<ProbeActivities>({
  startToCloseTimeout: PROBE_ACTIVITY_TIMEOUT,
  retry: { maximumAttempts: 3 },
});

/** Proves a worker can take workflow and activity tasks from the server end to end. */
export async function connectivityProbeWorkflow(token: string): Promise<{ token: string; host: string }> {
  const worker = await describeWorker();
  return { token, host: worker.host };
}
