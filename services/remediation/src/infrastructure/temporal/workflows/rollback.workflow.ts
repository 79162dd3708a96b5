import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { COMPENSATION_OPTIONS, RECORD_STEP_OPTIONS } from '../activity-options';
import type { RemediationActivities } from '../remediation.activities';
import type { RollbackInput, RollbackResult } from './rollout.contract';

const { revertWave } = proxyActivities<RemediationActivities>(COMPENSATION_OPTIONS);
const { recordPlanRolledBack } = proxyActivities<RemediationActivities>(RECORD_STEP_OPTIONS);

/**
 * Reverts the waves of a rollout last-first, then records the rollback. Each revert is keyed by the
 * original rollout's workflow id, the wave and the asset, so running it again changes nothing.
 */
export async function rollbackWorkflow(input: RollbackInput): Promise<RollbackResult> {
  // Absent in runs started before inputs carried the organisation: the activities look it up.
  const tenant = input.organisation === undefined ? {} : { organisation: input.organisation };
  let assetsRolledBack = 0;
  for (const wave of [...input.waves].reverse()) {
    const { reverted } = await revertWave({
      planId: input.planId,
      ...tenant,
      originWorkflowId: input.originWorkflowId,
      waveIndex: wave.index,
      assetIds: wave.assetIds,
    });
    assetsRolledBack += reverted;
  }
  await recordPlanRolledBack({
    workflowId: workflowInfo().workflowId,
    planId: input.planId,
    ...tenant,
    trigger: input.trigger,
    reason: input.reason,
    ...(input.failedWaveIndex === undefined ? {} : { failedWaveIndex: input.failedWaveIndex }),
    assetsRolledBack,
    initiatedBy: input.initiatedBy,
    finalStatus: input.finalStatus,
  });
  return { assetsRolledBack };
}
