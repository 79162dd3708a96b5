import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  executeChild,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  APPLY_WAVE_OPTIONS,
  HEALTH_ANALYSIS_OPTIONS,
  LOCAL_HEALTH_ANALYSIS_OPTIONS,
  LOCAL_RECORD_STEP_OPTIONS,
  RECORD_STEP_OPTIONS,
} from '../activity-options';
import type { RemediationActivities } from '../remediation.activities';
import { rollbackWorkflow } from './rollback.workflow';
import {
  abortSignal,
  approveSignal,
  type CanaryRolloutInput,
  type CanaryRolloutResult,
  PATCHES,
  pauseSignal,
  progressQuery,
  resumeSignal,
  type RollbackTrigger,
  type RolloutActor,
  type RolloutProgressView,
  SEARCH_ATTRIBUTES,
} from './rollout.contract';

const { applyWave } = proxyActivities<RemediationActivities>(APPLY_WAVE_OPTIONS);
const remoteSteps = proxyActivities<RemediationActivities>(RECORD_STEP_OPTIONS);
const remoteHealth = proxyActivities<RemediationActivities>(HEALTH_ANALYSIS_OPTIONS);
const localSteps = proxyLocalActivities<RemediationActivities>(LOCAL_RECORD_STEP_OPTIONS);
const localHealth = proxyLocalActivities<RemediationActivities>(LOCAL_HEALTH_ANALYSIS_OPTIONS);

/**
 * Bookkeeping steps and health analysis: local activities, except in runs that began before the
 * `local-bookkeeping` patch, which replay as scheduled activities. Each local step saves the task
 * queue round trips and history writes of a scheduled one: on a busy Temporal these, not the
 * steps themselves, bound how many rollouts run at once.
 */
function bookkeepingSteps() {
  const local = patched(PATCHES.localBookkeeping);
  const steps = local ? localSteps : remoteSteps;
  return {
    gateWave: steps.gateWave,
    recordWaveStarted: steps.recordWaveStarted,
    recordWaveCompleted: steps.recordWaveCompleted,
    recordPlanCompleted: steps.recordPlanCompleted,
    recordPlanStatus: steps.recordPlanStatus,
    analyseWaveHealth: (local ? localHealth : remoteHealth).analyseWaveHealth,
  };
}

/**
 * Runs a plan's waves in order: gate, apply (bounded concurrency, error threshold), soak, health.
 * Inconclusive health pauses until resumed; a failed wave, a deny or an abort rolls back every wave
 * that ran, last-first, as a saga in a child RollbackWorkflow.
 */
export async function canaryRolloutWorkflow(input: CanaryRolloutInput): Promise<CanaryRolloutResult> {
  const { workflowId } = workflowInfo();
  // Activity inputs are not part of the replayed commands: adding the organisation to them keeps
  // recorded histories replaying. Runs started without it leave it out, and activities look it up.
  const tenant = input.organisation === undefined ? {} : { organisation: input.organisation };
  const {
    gateWave,
    recordWaveStarted,
    recordWaveCompleted,
    recordPlanCompleted,
    recordPlanStatus,
    analyseWaveHealth,
  } = bookkeepingSteps();
  let approvals = 0;
  let paused = false;
  let pauseReason: string | null = null;
  // Signals write here; an object, so the checks after each await read the live value.
  const control: { aborted: { actor: string; reason?: string } | null } = { aborted: null };
  const progress = {
    phase: 'starting',
    currentWave: null as number | null,
    wavesCompleted: 0,
    assetsSucceeded: 0,
    assetsFailed: 0,
    awaitingApproval: false,
  };

  setHandler(approveSignal, () => {
    approvals++;
  });
  setHandler(pauseSignal, (s) => {
    paused = true;
    pauseReason = s.reason ?? `paused by ${s.actor}`;
  });
  setHandler(resumeSignal, () => {
    paused = false;
    pauseReason = null;
  });
  setHandler(abortSignal, (s) => {
    control.aborted = s;
  });
  setHandler(progressQuery, (): RolloutProgressView => ({
    ...progress,
    totalWaves: input.waves.length,
    paused,
    pauseReason,
  }));

  const setPhase = (phase: string): void => {
    progress.phase = phase;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.phase, value: phase }]);
  };

  /** Waves that changed something, in order: the saga's compensation stack. */
  const ran: { index: number; assetIds: readonly string[] }[] = [];

  const rollBack = async (
    trigger: RollbackTrigger,
    reason: string,
    initiatedBy: RolloutActor,
    failedWaveIndex?: number,
  ): Promise<CanaryRolloutResult> => {
    setPhase('rolling_back');
    const finalStatus = trigger === 'manual' ? 'aborted' : 'rolled_back';
    const { assetsRolledBack } = await executeChild(rollbackWorkflow, {
      workflowId: `${workflowId}-rollback`,
      args: [
        {
          planId: input.planId,
          ...tenant,
          originWorkflowId: workflowId,
          waves: ran,
          trigger,
          reason,
          ...(failedWaveIndex === undefined ? {} : { failedWaveIndex }),
          initiatedBy,
          finalStatus,
        },
      ],
    });
    setPhase(finalStatus);
    return {
      outcome: finalStatus,
      wavesCompleted: progress.wavesCompleted,
      assetsRemediated: 0,
      assetsFailed: progress.assetsFailed,
      assetsRolledBack,
    };
  };
  const abortRollback = (): Promise<CanaryRolloutResult> => {
    const by = control.aborted ?? { actor: 'unknown' };
    return rollBack('manual', by.reason ?? `aborted by ${by.actor}`, { kind: 'user', id: by.actor });
  };

  /** Waits while paused; true when aborted meanwhile. */
  const holdWhilePaused = async (cause?: {
    cause: 'health_inconclusive';
    waveIndex: number;
  }): Promise<boolean> => {
    if (!paused) return control.aborted !== null;
    setPhase('paused');
    await recordPlanStatus({
      planId: input.planId,
      ...tenant,
      status: 'paused',
      reason: pauseReason,
      ...cause,
    });
    await condition(() => !paused || control.aborted !== null);
    if (control.aborted !== null) return true;
    await recordPlanStatus({ planId: input.planId, ...tenant, status: 'running', reason: null });
    setPhase('running');
    return false;
  };

  setPhase('running');
  let startedAt: string | null = null;
  for (const wave of input.waves) {
    progress.currentWave = wave.index;
    if (await holdWhilePaused()) return abortRollback();

    const gate = await gateWave({
      workflowId,
      planId: input.planId,
      ...tenant,
      waveIndex: wave.index,
      waveAssets: wave.assetIds.length,
      autonomyLevel: input.autonomyLevel,
      riskScore: input.riskScore,
      fleetSize: input.fleetSize,
      environment: input.environment,
    });
    if (gate.outcome === 'deny') {
      return rollBack(
        'policy_denied',
        `wave ${wave.index} denied: ${gate.reasons.join('; ')}`,
        { kind: 'policy', id: 'rf.remediation' },
        wave.index,
      );
    }
    if (gate.outcome === 'needs_approval' && !input.humanApproved) {
      const seen = approvals;
      progress.awaitingApproval = true;
      setPhase('awaiting_approval');
      await recordPlanStatus({
        planId: input.planId,
        ...tenant,
        status: 'paused',
        reason: `wave ${wave.index} awaits approval: ${gate.reasons.join('; ')}`,
        cause: 'approval_required',
        waveIndex: wave.index,
      });
      await condition(() => approvals > seen || control.aborted !== null);
      progress.awaitingApproval = false;
      if (control.aborted !== null) return abortRollback();
      await recordPlanStatus({ planId: input.planId, ...tenant, status: 'running', reason: null });
      setPhase('running');
    }

    const started = await recordWaveStarted({
      workflowId,
      planId: input.planId,
      ...tenant,
      waveIndex: wave.index,
      assetIds: wave.assetIds,
    });
    startedAt ??= started.startedAt;
    // Pushed before the apply: a wave interrupted half-way is compensated too.
    ran.push({ index: wave.index, assetIds: wave.assetIds });
    // Decided again as it acts (needs_approval reached here only with a person's approval): what
    // the policy refuses now, e.g. a window that closed while the wave waited, is rolled back.
    let applied: Awaited<ReturnType<typeof applyWave>>;
    try {
      applied = await applyWave({
        workflowId,
        planId: input.planId,
        ...tenant,
        toVersion: input.toVersion,
        wave,
        gate: {
          autonomyLevel: input.autonomyLevel,
          riskScore: input.riskScore,
          fleetSize: input.fleetSize,
          environment: input.environment,
          approved: gate.outcome === 'needs_approval',
        },
      });
    } catch (error: unknown) {
      const refusal = policyRefusal(error);
      if (refusal === undefined) throw error;
      return rollBack(
        'policy_denied',
        `wave ${wave.index} refused as it was applied: ${refusal}`,
        { kind: 'policy', id: 'rf.remediation' },
        wave.index,
      );
    }
    progress.assetsSucceeded += applied.succeededAssetIds.length;
    progress.assetsFailed += applied.failedAssetIds.length;

    let health: { verdict: 'success' | 'failure' | 'inconclusive'; reason: string } = {
      verdict: 'success',
      reason: 'nothing applied',
    };
    if (!applied.tripped) {
      if (wave.soakSeconds > 0) {
        setPhase('soaking');
        if (patched(PATCHES.abortInterruptsSoak)) {
          await condition(() => control.aborted !== null, `${wave.soakSeconds} seconds`);
        } else {
          await sleep(`${wave.soakSeconds} seconds`);
        }
        if (control.aborted !== null) return abortRollback();
        setPhase('running');
      }
      for (;;) {
        health = await analyseWaveHealth({
          planId: input.planId,
          ...tenant,
          waveIndex: wave.index,
          assetIds: applied.succeededAssetIds,
          toVersion: input.toVersion,
        });
        if (health.verdict !== 'inconclusive') break;
        // Not enough signal to judge: a person looks, then resumes (re-analysed) or aborts.
        paused = true;
        pauseReason = `wave ${wave.index} health inconclusive: ${health.reason}`;
        if (await holdWhilePaused({ cause: 'health_inconclusive', waveIndex: wave.index })) {
          return abortRollback();
        }
      }
    }
    const failed = applied.tripped || health.verdict === 'failure';
    await recordWaveCompleted({
      workflowId,
      planId: input.planId,
      ...tenant,
      waveIndex: wave.index,
      outcome: failed ? 'failed' : 'succeeded',
      succeeded: applied.succeededAssetIds.length,
      failedAssetIds: applied.failedAssetIds,
      startedAt: started.startedAt,
    });
    if (failed) {
      const reason = applied.tripped
        ? `wave ${wave.index}: ${applied.failedAssetIds.length} failure(s), more than the ${wave.maxFailures} tolerated`
        : `wave ${wave.index}: ${health.reason}`;
      return rollBack('health_check_failed', reason, { kind: 'service', id: 'remediation' }, wave.index);
    }
    progress.wavesCompleted++;
  }

  progress.currentWave = null;
  await recordPlanCompleted({
    workflowId,
    planId: input.planId,
    ...tenant,
    wavesCompleted: progress.wavesCompleted,
    assetsRemediated: progress.assetsSucceeded,
    assetsFailed: progress.assetsFailed,
    startedAt: startedAt ?? new Date(Date.now()).toISOString(),
  });
  setPhase('completed');
  return {
    outcome: 'completed',
    wavesCompleted: progress.wavesCompleted,
    assetsRemediated: progress.assetsSucceeded,
    assetsFailed: progress.assetsFailed,
    assetsRolledBack: 0,
  };
}

/** The message of a policy gate refusal (POLICY.*) that ended an activity, else undefined. */
function policyRefusal(error: unknown): string | undefined {
  if (!(error instanceof ActivityFailure) || !(error.cause instanceof ApplicationFailure)) return undefined;
  return error.cause.type?.startsWith('POLICY.') ? error.cause.message : undefined;
}
