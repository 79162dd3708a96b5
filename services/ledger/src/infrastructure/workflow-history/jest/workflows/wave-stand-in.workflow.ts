import { sleep } from '@temporalio/workflow';

/** A remediation wave reduced to its shape in history: a timer, then a result naming the assets. */
export async function waveStandInWorkflow(assetIds: readonly string[]): Promise<{ remediated: number }> {
  await sleep(1);
  return { remediated: assetIds.length };
}
