import type { RemediationPlannedV1 } from '@rf/contracts';
import type { PlanStatus } from '../../domain/plan/plan-status';
import type { PlannedWave } from '../../domain/plan/wave-policy';
import type { AutonomyLevel } from '../../domain/risk/autonomy-level';
import type { DeploymentStrategy } from '../../domain/risk/risk-assessment';

export type Actor = RemediationPlannedV1['requestedBy'];

/** A plan as stored: the frozen asset set, its waves, and where it is in its life. */
export interface PlanRecord {
  readonly id: string;
  /** The organisation the plan belongs to: the caller's, or the drift event's. */
  readonly organisation: string;
  readonly source: 'drift' | 'api';
  readonly sourceRef: string;
  readonly family: string;
  readonly toVersion: string;
  readonly imageVersionId: string;
  readonly environment: string;
  readonly assessmentId: string;
  readonly strategy: DeploymentStrategy;
  readonly autonomyLevel: AutonomyLevel;
  /** 0..100, the gate's scale. */
  readonly riskScore: number;
  readonly fleetSize: number;
  readonly approvalRequired: boolean;
  readonly autoStart: boolean;
  readonly status: PlanStatus;
  readonly assetIds: readonly string[];
  readonly waves: readonly PlannedWave[];
  readonly requestedBy: Actor;
  readonly approvedBy: Actor | null;
  readonly approvalDecisionId: string | null;
  readonly workflowId: string;
  readonly workflowStartedAt: Date | null;
  readonly statusReason: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Workflow ids come from the business key, so starting a plan twice is the same workflow. */
export function rolloutWorkflowId(planId: string): string {
  return `remediation-plan-${planId}`;
}

export function rollbackWorkflowId(planId: string): string {
  return `remediation-rollback-${planId}`;
}
