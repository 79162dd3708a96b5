import type { PlanStatus } from '../../domain/plan/plan-status';
import type { Actor, PlanRecord } from './plan-record';

export interface PlanPatch {
  readonly status?: PlanStatus;
  readonly statusReason?: string | null;
  readonly approvedBy?: Actor;
  readonly approvalDecisionId?: string;
  readonly autoStart?: boolean;
  readonly workflowStartedAt?: Date;
}

export interface PlanRepository {
  insert(plan: PlanRecord): Promise<void>;
  get(id: string): Promise<PlanRecord | undefined>;
  /** Locks the row for the rest of the transaction. */
  getForUpdate(id: string): Promise<PlanRecord | undefined>;
  update(id: string, patch: PlanPatch, at: Date): Promise<void>;
  /** Takes every asset for the plan, or none: returns the assets already held by another plan. */
  lockTargets(planId: string, assetIds: readonly string[], at: Date): Promise<string[]>;
  releaseTargets(planId: string): Promise<void>;
  coolingDown(assetIds: readonly string[], at: Date): Promise<string[]>;
  startCooldown(planId: string, assetIds: readonly string[], until: Date): Promise<void>;
  /** Approved plans set to start whose workflow has not been started yet. */
  awaitingStart(limit: number): Promise<PlanRecord[]>;
  list(limit: number): Promise<PlanRecord[]>;
}
