import type { RemediationPausedV1, RemediationRejectedV1, RemediationResumedV1 } from '@rf/contracts';
import type { UnitOfWorkContext } from '@rf/platform-events';
import { assertTransition } from '../../../domain/plan/plan-status';
import { RemediationError } from '../../../domain/remediation.error';
import type { Clock } from '../../ports/clock.port';
import type { PlanRecord } from '../../ports/plan-record';
import type { PlanRepository } from '../../ports/plan.repository.port';
import type { RolloutSignal } from '../../ports/rollout-workflows.port';
import { REMEDIATION_EVENTS } from '../../remediation-event-types';
import { notFound } from '../approve-plan/approve-plan.handler';
import type { SteerPlanCommand } from './steer-plan.command';

export interface SteerResult {
  readonly plan: PlanRecord;
  /** What to tell the running workflow once the transaction commits. */
  readonly signal: RolloutSignal | null;
  /** Whether the starter should pick the plan up now. */
  readonly start: boolean;
  /** Whether to start the standalone RollbackWorkflow of a completed plan. */
  readonly rollback?: boolean;
}

/**
 * Records an operator's steering in the plan, then says what the workflow must hear. A plan whose
 * workflow has not started is aborted here; a running one is rolled back by its workflow.
 */
export class SteerPlanHandler {
  constructor(private readonly clock: Clock) {}

  async execute(
    work: UnitOfWorkContext,
    plans: PlanRepository,
    command: SteerPlanCommand,
  ): Promise<SteerResult> {
    const plan = await plans.getForUpdate(command.organisation, command.planId);
    if (!plan) throw notFound(command.planId);
    const now = this.clock.now();
    const started = plan.workflowStartedAt !== null;
    switch (command.action) {
      case 'start': {
        if (plan.status !== 'approved') {
          throw new RemediationError(
            'REMEDIATION.INVALID_TRANSITION',
            plan.status === 'awaiting_approval'
              ? `plan ${plan.id} needs approval before it starts`
              : `plan ${plan.id} is ${plan.status}; only an approved plan starts`,
            { kind: 'conflict', metadata: { planId: plan.id, status: plan.status } },
          );
        }
        await plans.update(plan.id, { autoStart: true }, now);
        return { plan: { ...plan, autoStart: true }, signal: null, start: true };
      }
      case 'pause': {
        assertTransition(plan.id, plan.status, 'paused');
        if (!started) throw notRunning(plan);
        const reason = command.reason ?? `paused by ${command.actor.id}`;
        await plans.update(plan.id, { status: 'paused', statusReason: reason }, now);
        const paused: RemediationPausedV1 = {
          planId: plan.id,
          cause: 'operator',
          reason,
          pausedBy: command.actor,
          pausedAt: now.toISOString(),
        };
        work.publish({
          type: REMEDIATION_EVENTS.paused,
          data: paused,
          time: now,
          organisation: plan.organisation,
        });
        return { plan: { ...plan, status: 'paused' }, signal: 'pause', start: false };
      }
      case 'resume': {
        assertTransition(plan.id, plan.status, 'running');
        if (!started) throw notRunning(plan);
        await plans.update(plan.id, { status: 'running', statusReason: null }, now);
        const resumed: RemediationResumedV1 = {
          planId: plan.id,
          resumedBy: command.actor,
          resumedAt: now.toISOString(),
        };
        work.publish({
          type: REMEDIATION_EVENTS.resumed,
          data: resumed,
          time: now,
          organisation: plan.organisation,
        });
        return { plan: { ...plan, status: 'running' }, signal: 'resume', start: false };
      }
      case 'rollback':
        assertTransition(plan.id, plan.status, 'rolled_back');
        if (plan.status !== 'completed') {
          throw new RemediationError(
            'REMEDIATION.INVALID_TRANSITION',
            `plan ${plan.id} is ${plan.status}; abort a running plan, roll back a completed one`,
            { kind: 'conflict', metadata: { planId: plan.id, status: plan.status } },
          );
        }
        return { plan, signal: null, start: false, rollback: true };
      case 'abort': {
        if (started) {
          assertTransition(plan.id, plan.status, 'aborted');
          return { plan, signal: 'abort', start: false };
        }
        assertTransition(plan.id, plan.status, plan.status === 'awaiting_approval' ? 'rejected' : 'aborted');
        const status = plan.status === 'awaiting_approval' ? 'rejected' : 'aborted';
        const reason = command.reason ?? 'aborted by an operator before it started';
        await plans.update(plan.id, { status, statusReason: reason }, now);
        await plans.releaseTargets(plan.id);
        const rejected: RemediationRejectedV1 = {
          planId: plan.id,
          rejectedBy: command.actor,
          reason,
          rejectedAt: now.toISOString(),
        };
        work.publish({
          type: REMEDIATION_EVENTS.rejected,
          data: rejected,
          time: now,
          organisation: plan.organisation,
        });
        return { plan: { ...plan, status }, signal: null, start: false };
      }
    }
  }
}

function notRunning(plan: PlanRecord): RemediationError {
  return new RemediationError('REMEDIATION.INVALID_TRANSITION', `plan ${plan.id} has not started`, {
    kind: 'conflict',
    metadata: { planId: plan.id, status: plan.status },
  });
}
