import type { RemediationApprovedV1 } from '@rf/contracts';
import type { UnitOfWorkContext } from '@rf/platform-events';
import { UnitOfWorkDecisionRecorder } from '@rf/platform-policy';
import { assertTransition } from '../../../domain/plan/plan-status';
import { RemediationError } from '../../../domain/remediation.error';
import type { Clock } from '../../ports/clock.port';
import type { PlanRecord } from '../../ports/plan-record';
import type { PlanRepository } from '../../ports/plan.repository.port';
import { REMEDIATION_EVENTS } from '../../remediation-event-types';
import type { WaveGate } from '../../wave-gate';
import type { ApprovePlanCommand } from './approve-plan.command';

export interface ApprovalResult {
  readonly plan: PlanRecord;
  /** The plan's workflow waits for this approval (a later wave needed one): signal it. */
  readonly signalWorkflow: boolean;
}

/**
 * A person approves a plan. The gate still decides: an approval satisfies needs-approval, never a
 * deny (blast radius, freeze, window, critical risk).
 */
export class ApprovePlanHandler {
  constructor(
    private readonly gate: WaveGate,
    private readonly clock: Clock,
  ) {}

  async execute(
    work: UnitOfWorkContext,
    plans: PlanRepository,
    command: ApprovePlanCommand,
  ): Promise<ApprovalResult> {
    const plan = await plans.getForUpdate(command.organisation, command.planId);
    if (!plan) throw notFound(command.planId);
    const running = plan.status === 'running' || plan.status === 'paused';
    if (!running) assertTransition(plan.id, plan.status, 'approved');
    const now = this.clock.now();
    const first = plan.waves[0];
    const decision = await this.gate.decide(
      {
        action: 'remediation.approve',
        planId: plan.id,
        autonomyLevel: plan.autonomyLevel,
        riskScore: plan.riskScore,
        waveIndex: 0,
        waveAssets: first?.assetIds.length ?? 1,
        fleetSize: plan.fleetSize,
        environment: plan.environment,
        organisation: plan.organisation,
      },
      new UnitOfWorkDecisionRecorder(work),
    );
    if (decision.outcome === 'deny') {
      throw new RemediationError(
        'REMEDIATION.POLICY_DENIED',
        `the policy denies plan ${plan.id}: ${decision.reasons.join('; ')}`,
        { kind: 'forbidden', metadata: { planId: plan.id, policyDecisionId: decision.decisionId } },
      );
    }
    if (!running) {
      await plans.update(
        plan.id,
        { status: 'approved', approvedBy: command.approver, approvalDecisionId: decision.decisionId },
        now,
      );
    }
    const approved: RemediationApprovedV1 = {
      planId: plan.id,
      approvedBy: command.approver,
      policyDecisionId: decision.decisionId,
      ...(command.comment ? { comment: command.comment } : {}),
      approvedAt: now.toISOString(),
    };
    work.publish({
      type: REMEDIATION_EVENTS.approved,
      data: approved,
      time: now,
      organisation: plan.organisation,
    });
    const updated = await plans.get(plan.organisation, plan.id);
    return { plan: updated ?? plan, signalWorkflow: running };
  }
}

export function notFound(planId: string): RemediationError {
  return new RemediationError('REMEDIATION.PLAN_NOT_FOUND', `no remediation plan ${planId}`, {
    kind: 'not_found',
    metadata: { planId },
  });
}
