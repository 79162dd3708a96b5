import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { type Actor, type PlanRecord, rollbackWorkflowId } from '../../application/ports/plan-record';
import type {
  RolloutProgress,
  RolloutSignal,
  RolloutWorkflows,
} from '../../application/ports/rollout-workflows.port';
import { RemediationError } from '../../domain/remediation.error';
import { canaryRolloutWorkflow } from './workflows/canary-rollout.workflow';
import { rollbackWorkflow } from './workflows/rollback.workflow';
import {
  abortSignal,
  approveSignal,
  type CanaryRolloutInput,
  pauseSignal,
  progressQuery,
  resumeSignal,
  SEARCH_ATTRIBUTES,
} from './workflows/rollout.contract';

/** The plan's frozen content, as the workflow runs it. */
export function rolloutInputOf(plan: PlanRecord): CanaryRolloutInput {
  return {
    planId: plan.id,
    organisation: plan.organisation,
    family: plan.family,
    toVersion: plan.toVersion,
    environment: plan.environment,
    autonomyLevel: plan.autonomyLevel,
    riskScore: plan.riskScore,
    fleetSize: plan.fleetSize,
    humanApproved: plan.approvedBy?.kind === 'user',
    waves: plan.waves.map((w) => ({ ...w, assetIds: [...w.assetIds] })),
  };
}

export class TemporalRolloutWorkflows implements RolloutWorkflows {
  constructor(
    private readonly client: () => Promise<Client>,
    private readonly taskQueue: string,
  ) {}

  async start(plan: PlanRecord): Promise<void> {
    const client = await this.client();
    try {
      await client.workflow.start(canaryRolloutWorkflow, {
        workflowId: plan.workflowId,
        taskQueue: this.taskQueue,
        args: [rolloutInputOf(plan)],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.planId, value: plan.id },
          { key: SEARCH_ATTRIBUTES.environment, value: plan.environment },
          { key: SEARCH_ATTRIBUTES.family, value: plan.family },
          { key: SEARCH_ATTRIBUTES.phase, value: 'starting' },
        ],
      });
    } catch (error: unknown) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(error);
    }
  }

  async rollBack(plan: PlanRecord, initiatedBy: Actor, reason: string): Promise<void> {
    const client = await this.client();
    try {
      await client.workflow.start(rollbackWorkflow, {
        workflowId: rollbackWorkflowId(plan.id),
        taskQueue: this.taskQueue,
        args: [
          {
            planId: plan.id,
            organisation: plan.organisation,
            originWorkflowId: plan.workflowId,
            waves: plan.waves.map((w) => ({ index: w.index, assetIds: [...w.assetIds] })),
            trigger: 'manual',
            reason,
            initiatedBy,
            finalStatus: 'rolled_back',
          },
        ],
        typedSearchAttributes: [
          { key: SEARCH_ATTRIBUTES.planId, value: plan.id },
          { key: SEARCH_ATTRIBUTES.environment, value: plan.environment },
          { key: SEARCH_ATTRIBUTES.family, value: plan.family },
        ],
      });
    } catch (error: unknown) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw unavailable(error);
    }
  }

  async signal(
    plan: PlanRecord,
    signal: RolloutSignal,
    detail: { actor: string; reason?: string },
  ): Promise<void> {
    const handle = (await this.client()).workflow.getHandle(plan.workflowId);
    try {
      switch (signal) {
        case 'approve':
          await handle.signal(approveSignal, { actor: detail.actor });
          return;
        case 'pause':
          await handle.signal(pauseSignal, detail);
          return;
        case 'resume':
          await handle.signal(resumeSignal, { actor: detail.actor });
          return;
        case 'abort':
          await handle.signal(abortSignal, detail);
          return;
      }
    } catch (error: unknown) {
      throw unavailable(error);
    }
  }

  async progress(plan: PlanRecord): Promise<RolloutProgress | null> {
    if (plan.workflowStartedAt === null) return null;
    const handle = (await this.client()).workflow.getHandle(plan.workflowId);
    try {
      return await handle.query(progressQuery);
    } catch (error: unknown) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw unavailable(error);
    }
  }
}

function unavailable(error: unknown): RemediationError {
  return new RemediationError(
    'REMEDIATION.WORKFLOW_UNAVAILABLE',
    `Temporal: ${error instanceof Error ? error.message : String(error)}`,
    { kind: 'unavailable', cause: error },
  );
}
