import type {
  RemediationCompletedV1,
  RemediationPausedV1,
  RemediationRolledBackV1,
  RemediationWaveCompletedV1,
  RemediationWaveStartedV1,
} from '@rf/contracts';
import { AppError, toAppError } from '@rf/platform-errors';
import { DEFAULT_ORGANISATION, type UnitOfWork, type UnitOfWorkContext } from '@rf/platform-events';
import { actionGuard, guardActions, UnitOfWorkDecisionRecorder } from '@rf/platform-policy';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Clock } from '../../application/ports/clock.port';
import type { MetricProvider } from '../../application/ports/metric-provider.port';
import type {
  AssetChangeResult,
  RemediationExecutor,
} from '../../application/ports/remediation-executor.port';
import { REMEDIATION_EVENTS } from '../../application/remediation-event-types';
import type { RemediationSettings } from '../../application/remediation-settings';
import type { GateOutcome, WaveGate } from '../../application/wave-gate';
import { analyseHealth, type HealthVerdict } from '../../domain/health/health-verdict';
import type { PlanStatus } from '../../domain/plan/plan-status';
import { WaveAdmission } from '../../domain/plan/wave-admission';
import { PostgresPlanRepository } from '../persistence/postgres-plan.repository';
import { PostgresStepLog } from '../persistence/postgres-step.log';
import type { RolloutActor, RolloutWave } from './workflows/rollout.contract';

export interface RemediationActivityDeps {
  readonly unitOfWork: UnitOfWork;
  readonly gate: WaveGate;
  readonly executor: RemediationExecutor;
  readonly metrics: MetricProvider;
  readonly clock: Clock;
  readonly settings: RemediationSettings;
}

export interface WaveApplyResult {
  readonly succeededAssetIds: string[];
  readonly failedAssetIds: string[];
  /** Assets never attempted because the wave tripped first. */
  readonly skippedAssetIds: string[];
  readonly tripped: boolean;
}

export const applyKey = (workflowId: string, waveIndex: number, assetId: string): string =>
  `${workflowId}:apply:${waveIndex}:${assetId}`;
export const revertKey = (workflowId: string, waveIndex: number, assetId: string): string =>
  `${workflowId}:revert:${waveIndex}:${assetId}`;

/** Errors that cannot succeed on retry end the activity for good, named by their code. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (thrown: unknown) {
    const error = toAppError(thrown);
    if (thrown instanceof AppError && !error.retriable) {
      throw ApplicationFailure.nonRetryable(error.message, error.code, error.metadata);
    }
    throw thrown;
  }
}

function heartbeat(details: unknown): void {
  // Activities also run outside a worker (unit tests, benchmarks) where there is no context.
  try {
    Context.current().heartbeat(details);
  } catch (error: unknown) {
    if (!(error instanceof Error && /activity context/i.test(error.message))) throw error;
  }
}

/** What the wave gate decided on, passed to the wave's apply so it is decided again as it acts. */
export interface WaveGateFacts {
  readonly autonomyLevel: number;
  readonly riskScore: number;
  readonly fleetSize: number;
  readonly environment: string;
  /** A person approved the plan or this wave. */
  readonly approved: boolean;
}

/**
 * The remediation worker's activities, over the service's ports. The ones that change assets are
 * decided by the policy gate on every call (`guardActions`): a refusal is recorded as
 * policy.decided and ends the activity with a non-retryable failure naming the reasons.
 */
export function createRemediationActivities(deps: RemediationActivityDeps) {
  const activities = createActivities(deps);
  const organisation = (input: PlanRef) => organisationOutsideWork(deps.unitOfWork, input);
  return guardActions(activities, {
    gate: deps.gate.policyGate,
    guards: {
      applyWave: actionGuard('remediation.start', async (input: Parameters<typeof activities.applyWave>[0]) =>
        deps.gate.request({
          action: 'remediation.start',
          planId: input.planId,
          organisation: await organisation(input),
          waveIndex: input.wave.index,
          waveAssets: input.wave.assetIds.length,
          ...input.gate,
        }),
      ),
      revertWave: actionGuard(
        'remediation.rollback',
        async (input: Parameters<typeof activities.revertWave>[0]) =>
          deps.gate.rollbackRequest({
            planId: input.planId,
            organisation: await organisation(input),
            waveIndex: input.waveIndex,
            waveAssets: input.assetIds.length,
          }),
      ),
    },
    bookkeeping: {
      gateWave: 'is the wave decision itself (rf.remediation, recorded with the step)',
      recordWaveStarted: 'records the wave start and its event',
      analyseWaveHealth: 'reads metrics',
      recordWaveCompleted: 'records the wave result and its event',
      recordPlanStatus: 'records the plan status',
      recordPlanCompleted: 'records the plan result and its event',
      recordPlanRolledBack: 'records the rollback result and its event',
    },
    refuse: (error) => ApplicationFailure.nonRetryable(error.message, error.code, error.metadata),
  });
}

/** What every activity of a plan is given: the plan, and its organisation when the run knows it. */
interface PlanRef {
  readonly planId: string;
  /** Absent in runs started before workflow inputs carried the organisation. */
  readonly organisation?: string;
}

/**
 * The plan's organisation: the workflow's, else the stored plan's (a run started before inputs
 * carried it); the default organisation only for a plan that no longer exists.
 */
async function planOrganisation(work: UnitOfWorkContext, input: PlanRef): Promise<string> {
  if (input.organisation !== undefined) return input.organisation;
  return (
    (await new PostgresPlanRepository(work.manager).organisationOf(input.planId)) ?? DEFAULT_ORGANISATION
  );
}

/** The plan's organisation, for steps that run outside a transaction (guards, executor calls). */
function organisationOutsideWork(unitOfWork: UnitOfWork, input: PlanRef): Promise<string> {
  return input.organisation === undefined
    ? unitOfWork.run((work) => planOrganisation(work, input))
    : Promise.resolve(input.organisation);
}

function createActivities(deps: RemediationActivityDeps) {
  const { unitOfWork, clock } = deps;
  const organisationOf = (input: PlanRef) => organisationOutsideWork(unitOfWork, input);

  return {
    gateWave(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      waveIndex: number;
      waveAssets: number;
      autonomyLevel: number;
      riskScore: number;
      fleetSize: number;
      environment: string;
    }): Promise<{ outcome: GateOutcome; decisionId: string; reasons: string[] }> {
      return guarded(() =>
        unitOfWork.run((work) =>
          new PostgresStepLog(work.manager).once(
            input.workflowId,
            `wave-${input.waveIndex}-gate`,
            input.planId,
            async () => {
              const d = await deps.gate.decide(
                {
                  action: 'remediation.start',
                  planId: input.planId,
                  organisation: await planOrganisation(work, input),
                  autonomyLevel: input.autonomyLevel,
                  riskScore: input.riskScore,
                  waveIndex: input.waveIndex,
                  waveAssets: input.waveAssets,
                  fleetSize: input.fleetSize,
                  environment: input.environment,
                },
                new UnitOfWorkDecisionRecorder(work),
              );
              return { outcome: d.outcome, decisionId: d.decisionId, reasons: [...d.reasons] };
            },
          ),
        ),
      );
    },

    recordWaveStarted(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      waveIndex: number;
      assetIds: readonly string[];
    }): Promise<{ startedAt: string }> {
      return guarded(() =>
        unitOfWork.run((work) =>
          new PostgresStepLog(work.manager).once(
            input.workflowId,
            `wave-${input.waveIndex}-started`,
            input.planId,
            async () => {
              const now = clock.now();
              const organisation = await planOrganisation(work, input);
              const plans = new PostgresPlanRepository(work.manager);
              const plan = await plans.getForUpdate(organisation, input.planId);
              if (plan && (plan.status === 'approved' || plan.status === 'paused')) {
                await plans.update(input.planId, { status: 'running', statusReason: null }, now);
              }
              const data: RemediationWaveStartedV1 = {
                planId: input.planId,
                waveIndex: input.waveIndex,
                assetIds: [...input.assetIds],
                workflowId: input.workflowId,
                startedAt: now.toISOString(),
              };
              work.publish({ type: REMEDIATION_EVENTS.waveStarted, data, time: now, organisation });
              return { startedAt: data.startedAt };
            },
          ),
        ),
      );
    },

    /**
     * Applies a wave within its concurrency, launching a change only while the error threshold
     * cannot be overshot. Each change is keyed, so a retried wave redoes nothing already done.
     */
    applyWave(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      toVersion: string;
      wave: RolloutWave;
      gate: WaveGateFacts;
    }): Promise<WaveApplyResult> {
      return guarded(async () => {
        const organisation = await organisationOf(input);
        const { wave } = input;
        const admission = new WaveAdmission(wave.maxConcurrency, wave.maxFailures);
        const queue = [...wave.assetIds];
        const inFlight = new Map<string, Promise<AssetChangeResult>>();
        const succeeded: string[] = [];
        const failed: string[] = [];
        for (;;) {
          while (queue.length > 0 && admission.tryLaunch()) {
            const assetId = queue.shift() as string;
            inFlight.set(
              assetId,
              deps.executor.apply({
                idempotencyKey: applyKey(input.workflowId, wave.index, assetId),
                planId: input.planId,
                organisation,
                assetId,
                toVersion: input.toVersion,
                // A long cloud operation heartbeats while awaited, not only when an asset settles.
                onProgress: (detail) =>
                  heartbeat({
                    assetId,
                    detail,
                    settled: succeeded.length + failed.length,
                    total: wave.assetIds.length,
                  }),
                maxConcurrency: wave.maxConcurrency,
              }),
            );
          }
          if (inFlight.size === 0) break;
          const result = await Promise.race(inFlight.values());
          inFlight.delete(result.assetId);
          const ok = result.outcome !== 'failed';
          admission.settle(ok ? 'succeeded' : 'failed');
          (ok ? succeeded : failed).push(result.assetId);
          heartbeat({ settled: succeeded.length + failed.length, total: wave.assetIds.length });
        }
        return {
          succeededAssetIds: succeeded,
          failedAssetIds: failed,
          skippedAssetIds: queue,
          tripped: admission.tripped,
        };
      });
    },

    /** Judges the wave from the metric provider; a provider that cannot answer is inconclusive. */
    async analyseWaveHealth(input: {
      planId: string;
      organisation?: string;
      waveIndex: number;
      assetIds: readonly string[];
      toVersion: string;
    }): Promise<{ verdict: HealthVerdict; reason: string }> {
      if (input.assetIds.length === 0)
        return { verdict: 'inconclusive', reason: 'no asset reached the version' };
      try {
        const samples = await deps.metrics.sample(input);
        const analysis = analyseHealth(samples, deps.settings.healthCriteria);
        return { verdict: analysis.verdict, reason: `${deps.metrics.name}: ${analysis.reason}` };
      } catch (error: unknown) {
        return {
          verdict: 'inconclusive',
          reason: `${deps.metrics.name} unavailable: ${toAppError(error).message}`,
        };
      }
    },

    recordWaveCompleted(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      waveIndex: number;
      outcome: 'succeeded' | 'failed';
      succeeded: number;
      failedAssetIds: readonly string[];
      startedAt: string;
    }): Promise<void> {
      return guarded(() =>
        unitOfWork.run((work) =>
          new PostgresStepLog(work.manager).once(
            input.workflowId,
            `wave-${input.waveIndex}-completed`,
            input.planId,
            async () => {
              const now = clock.now();
              const organisation = await planOrganisation(work, input);
              const data: RemediationWaveCompletedV1 = {
                planId: input.planId,
                waveIndex: input.waveIndex,
                outcome: input.outcome,
                succeeded: input.succeeded,
                failed: input.failedAssetIds.length,
                failedAssetIds: [...input.failedAssetIds],
                startedAt: input.startedAt,
                completedAt: now.toISOString(),
              };
              work.publish({ type: REMEDIATION_EVENTS.waveCompleted, data, time: now, organisation });
              return null;
            },
          ),
        ),
      ).then(() => undefined);
    },

    /**
     * Records a pause or the end of one. Idempotent by state: only a change of status writes, and a
     * pause the workflow decided on (an operator's is recorded by the API) announces itself.
     */
    recordPlanStatus(input: {
      planId: string;
      organisation?: string;
      status: PlanStatus;
      reason: string | null;
      cause?: 'health_inconclusive' | 'approval_required';
      waveIndex?: number;
    }): Promise<void> {
      return guarded(() =>
        unitOfWork.run(async (work) => {
          const plans = new PostgresPlanRepository(work.manager);
          const plan = await plans.getForUpdate(await planOrganisation(work, input), input.planId);
          if (!plan || plan.status === input.status) return;
          if (plan.status !== 'running' && plan.status !== 'paused' && plan.status !== 'approved') return;
          const now = clock.now();
          await plans.update(input.planId, { status: input.status, statusReason: input.reason }, now);
          if (input.status === 'paused' && input.cause) {
            const data: RemediationPausedV1 = {
              planId: input.planId,
              cause: input.cause,
              reason: (input.reason ?? input.cause).slice(0, 2000),
              ...(input.waveIndex === undefined ? {} : { waveIndex: input.waveIndex }),
              pausedAt: now.toISOString(),
            };
            work.publish({
              type: REMEDIATION_EVENTS.paused,
              data,
              time: now,
              organisation: plan.organisation,
            });
          }
        }),
      );
    },

    recordPlanCompleted(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      wavesCompleted: number;
      assetsRemediated: number;
      assetsFailed: number;
      startedAt: string;
    }): Promise<void> {
      return guarded(() =>
        unitOfWork.run((work) =>
          new PostgresStepLog(work.manager).once(input.workflowId, 'completed', input.planId, async () => {
            const now = clock.now();
            const organisation = await planOrganisation(work, input);
            const plans = new PostgresPlanRepository(work.manager);
            const plan = await plans.getForUpdate(organisation, input.planId);
            await plans.update(input.planId, { status: 'completed', statusReason: null }, now);
            await plans.releaseTargets(input.planId);
            if (plan) {
              await plans.startCooldown(
                organisation,
                input.planId,
                plan.assetIds,
                new Date(now.getTime() + deps.settings.cooldownSeconds * 1000),
              );
            }
            const data: RemediationCompletedV1 = {
              planId: input.planId,
              outcome: input.assetsFailed > 0 ? 'partially_succeeded' : 'succeeded',
              wavesCompleted: Math.max(1, input.wavesCompleted),
              assetsRemediated: input.assetsRemediated,
              assetsFailed: input.assetsFailed,
              startedAt: input.startedAt,
              completedAt: now.toISOString(),
            };
            work.publish({ type: REMEDIATION_EVENTS.completed, data, time: now, organisation });
            return null;
          }),
        ),
      ).then(() => undefined);
    },

    /** Compensation: restores each asset of a wave; keyed by the rollout's workflow id, wave and asset. */
    revertWave(input: {
      planId: string;
      organisation?: string;
      originWorkflowId: string;
      waveIndex: number;
      assetIds: readonly string[];
    }): Promise<{ reverted: number }> {
      return guarded(async () => {
        const organisation = await organisationOf(input);
        let reverted = 0;
        for (const [i, assetId] of input.assetIds.entries()) {
          const result = await deps.executor.revert({
            idempotencyKey: revertKey(input.originWorkflowId, input.waveIndex, assetId),
            appliedKey: applyKey(input.originWorkflowId, input.waveIndex, assetId),
            planId: input.planId,
            organisation,
            assetId,
            toVersion: '',
            onProgress: (detail) => heartbeat({ assetId, detail, settled: i, total: input.assetIds.length }),
          });
          if (result.outcome === 'succeeded') reverted++;
          heartbeat({ settled: i + 1, total: input.assetIds.length });
        }
        return { reverted };
      });
    },

    recordPlanRolledBack(input: {
      workflowId: string;
      planId: string;
      organisation?: string;
      trigger: RemediationRolledBackV1['trigger'];
      reason: string;
      failedWaveIndex?: number;
      assetsRolledBack: number;
      initiatedBy: RolloutActor;
      finalStatus: 'rolled_back' | 'aborted';
    }): Promise<void> {
      return guarded(() =>
        unitOfWork.run((work) =>
          new PostgresStepLog(work.manager).once(input.workflowId, 'rolled-back', input.planId, async () => {
            const now = clock.now();
            const organisation = await planOrganisation(work, input);
            const plans = new PostgresPlanRepository(work.manager);
            await plans.update(input.planId, { status: input.finalStatus, statusReason: input.reason }, now);
            await plans.releaseTargets(input.planId);
            const data: RemediationRolledBackV1 = {
              planId: input.planId,
              trigger: input.trigger,
              reason: input.reason.slice(0, 2000),
              ...(input.failedWaveIndex === undefined ? {} : { failedWaveIndex: input.failedWaveIndex }),
              assetsRolledBack: input.assetsRolledBack,
              initiatedBy: input.initiatedBy,
              rolledBackAt: now.toISOString(),
            };
            work.publish({ type: REMEDIATION_EVENTS.rolledBack, data, time: now, organisation });
            return null;
          }),
        ),
      ).then(() => undefined);
    },
  };
}

export type RemediationActivities = ReturnType<typeof createRemediationActivities>;
