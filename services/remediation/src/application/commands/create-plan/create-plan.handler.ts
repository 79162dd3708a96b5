import type {
  RemediationApprovedV1,
  RemediationPlannedV1,
  RemediationRejectedV1,
  RiskAssessedV1,
} from '@rf/contracts';
import type { UnitOfWorkContext } from '@rf/platform-events';
import { UnitOfWorkDecisionRecorder } from '@rf/platform-policy';
import { createHash, randomUUID } from 'node:crypto';
import { planWaves } from '../../../domain/plan/wave-policy';
import { RemediationError } from '../../../domain/remediation.error';
import type { RiskAnalyser } from '../../../domain/risk/risk-analyser';
import { policyRiskScore, type RiskAssessment } from '../../../domain/risk/risk-assessment';
import type { AssessmentRepository } from '../../ports/assessment.repository.port';
import type { Clock } from '../../ports/clock.port';
import { type PlanRecord, rolloutWorkflowId } from '../../ports/plan-record';
import type { PlanRepository } from '../../ports/plan.repository.port';
import { REMEDIATION_EVENTS } from '../../remediation-event-types';
import type { RemediationSettings } from '../../remediation-settings';
import type { WaveGate } from '../../wave-gate';
import type { CreatePlanCommand } from './create-plan.command';

export interface PlanStores {
  readonly plans: PlanRepository;
  readonly assessments: AssessmentRepository;
}

/**
 * Assesses the risk, freezes the asset set into waves, applies storm control and asks the gate:
 * allow approves the plan on the policy's authority, needs-approval waits for a person, deny
 * rejects it. The assessment, plan, locks, decision and events commit together.
 */
export class CreatePlanHandler {
  constructor(
    private readonly analyser: RiskAnalyser,
    private readonly gate: WaveGate,
    private readonly settings: RemediationSettings,
    private readonly clock: Clock,
  ) {}

  async execute(
    work: UnitOfWorkContext,
    stores: PlanStores,
    command: CreatePlanCommand,
  ): Promise<PlanRecord> {
    const now = this.clock.now();
    const { organisation } = command;
    const assetIds = [...new Set(command.assetIds)].sort();
    const cooling = await stores.plans.coolingDown(organisation, assetIds, now);
    if (cooling.length > 0) {
      throw new RemediationError(
        'REMEDIATION.TARGET_COOLING_DOWN',
        `${cooling.length} asset(s) were changed recently and are cooling down: ${cooling.slice(0, 5).join(', ')}`,
        { kind: 'conflict', metadata: { assetIds: cooling.slice(0, 20) } },
      );
    }
    const assessment = this.analyser.assess(
      {
        target: {
          family: command.family,
          toVersion: command.toVersion,
          environment: command.environment,
          assetCount: assetIds.length,
        },
        factors: command.factors,
        complianceImpact: command.complianceImpact,
      },
      now,
    );
    const assessmentId = randomUUID();
    await stores.assessments.insert({ ...assessment, id: assessmentId, organisation });
    work.publish({
      type: REMEDIATION_EVENTS.riskAssessed,
      data: riskAssessedData(assessmentId, assessment),
      organisation,
    });

    const waves = planWaves(assetIds, { ...this.settings.wavePolicy, ...command.wavePolicy });
    const planId = randomUUID();
    const held = await stores.plans.lockTargets(organisation, planId, assetIds, now);
    if (held.length > 0) {
      throw new RemediationError(
        'REMEDIATION.TARGET_LOCKED',
        `${held.length} asset(s) belong to another unfinished plan: ${held.slice(0, 5).join(', ')}`,
        { kind: 'conflict', metadata: { assetIds: held.slice(0, 20) } },
      );
    }
    const riskScore = policyRiskScore(assessment.score);
    const fleetSize = command.fleetSize ?? this.settings.fleetSize;
    const first = waves[0];
    if (first === undefined) throw new Error('planWaves returned no wave');
    const decision = await this.gate.decide(
      {
        action: 'remediation.plan',
        planId,
        autonomyLevel: assessment.autonomyLevel,
        riskScore,
        waveIndex: 0,
        waveAssets: first.assetIds.length,
        fleetSize,
        environment: command.environment,
        organisation,
      },
      new UnitOfWorkDecisionRecorder(work),
    );
    const approvalRequired = assessment.strategy === 'manual' || decision.outcome !== 'allow';
    const status =
      decision.outcome === 'deny' ? 'rejected' : approvalRequired ? 'awaiting_approval' : 'approved';
    const plan: PlanRecord = {
      id: planId,
      organisation,
      source: command.source,
      sourceRef: command.sourceRef,
      family: command.family,
      toVersion: command.toVersion,
      imageVersionId: command.imageVersionId ?? imageVersionIdOf(command.family, command.toVersion),
      environment: command.environment,
      assessmentId,
      strategy: assessment.strategy,
      autonomyLevel: assessment.autonomyLevel,
      riskScore,
      fleetSize,
      approvalRequired,
      autoStart: command.autoStart,
      status,
      assetIds,
      waves,
      requestedBy: command.requestedBy,
      approvedBy: status === 'approved' ? { kind: 'policy', id: 'rf.remediation' } : null,
      approvalDecisionId: status === 'approved' ? decision.decisionId : null,
      workflowId: rolloutWorkflowId(planId),
      workflowStartedAt: null,
      statusReason: decision.reasons.join('; ') || null,
      createdAt: now,
      updatedAt: now,
    };
    await stores.plans.insert(plan);
    const planned: RemediationPlannedV1 = {
      planId,
      family: plan.family,
      toVersion: plan.toVersion,
      imageVersionId: plan.imageVersionId,
      environment: plan.environment,
      riskAssessmentId: assessmentId,
      strategy: plan.strategy,
      autonomyLevel: plan.autonomyLevel,
      approvalRequired,
      waves: waves.map((w) => ({ index: w.index, assetIds: [...w.assetIds] })),
      requestedBy: plan.requestedBy,
      plannedAt: now.toISOString(),
    };
    work.publish({ type: REMEDIATION_EVENTS.planned, data: planned, time: now, organisation });

    if (status === 'rejected') {
      const rejected: RemediationRejectedV1 = {
        planId,
        rejectedBy: { kind: 'policy', id: 'rf.remediation' },
        reason: decision.reasons.join('; ') || 'denied by policy',
        policyDecisionId: decision.decisionId,
        rejectedAt: now.toISOString(),
      };
      work.publish({ type: REMEDIATION_EVENTS.rejected, data: rejected, time: now, organisation });
      await stores.plans.releaseTargets(planId);
      return plan;
    }
    if (status === 'approved') {
      const approved: RemediationApprovedV1 = {
        planId,
        approvedBy: { kind: 'policy', id: 'rf.remediation' },
        policyDecisionId: decision.decisionId,
        comment: `autonomy level ${plan.autonomyLevel} permits risk ${riskScore}`,
        approvedAt: now.toISOString(),
      };
      work.publish({ type: REMEDIATION_EVENTS.approved, data: approved, time: now, organisation });
    }
    return plan;
  }
}

/** Drift reports name a family and version, not the image's id: derive a stable name-based UUID. */
export function imageVersionIdOf(family: string, version: string): string {
  const h = createHash('sha1').update(`rf-image:${family}@${version}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function riskAssessedData(assessmentId: string, a: RiskAssessment): RiskAssessedV1 {
  const factor = (f: keyof RiskAssessment['factors']) => ({ value: a.factors[f], weight: a.weights[f] });
  return {
    assessmentId,
    target: { ...a.target },
    factors: {
      severity: factor('severity'),
      exploitability: factor('exploitability'),
      assetCriticality: factor('assetCriticality'),
      patchMaturity: factor('patchMaturity'),
      dependencies: factor('dependencies'),
      rollbackComplexity: factor('rollbackComplexity'),
    },
    score: a.score,
    autonomyLevel: a.autonomyLevel,
    strategy: a.strategy,
    timing: {
      window: a.timing.window,
      notBefore: a.timing.notBefore.toISOString(),
      ...(a.timing.notAfter ? { notAfter: a.timing.notAfter.toISOString() } : {}),
      ...(a.timing.maintenanceWindowId ? { maintenanceWindowId: a.timing.maintenanceWindowId } : {}),
    },
    reasoning: [...a.reasoning],
    model: { ...a.model },
    assessedAt: a.assessedAt.toISOString(),
  };
}
