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

/**
 * Plans, their storm-control locks and cooldowns. Reads of a plan name its organisation: a plan of
 * another organisation is not found. Locks and cooldowns are per organisation and asset.
 */
export interface PlanRepository {
  insert(plan: PlanRecord): Promise<void>;
  get(organisation: string, id: string): Promise<PlanRecord | undefined>;
  /** Locks the row for the rest of the transaction. */
  getForUpdate(organisation: string, id: string): Promise<PlanRecord | undefined>;
  /**
   * The organisation of a plan, for workflow work that knows only the plan's id (runs started
   * before workflow inputs carried the organisation). Never used on a caller's behalf.
   */
  organisationOf(id: string): Promise<string | undefined>;
  update(id: string, patch: PlanPatch, at: Date): Promise<void>;
  /** Takes every asset for the plan, or none: returns the assets already held by another plan. */
  lockTargets(organisation: string, planId: string, assetIds: readonly string[], at: Date): Promise<string[]>;
  releaseTargets(planId: string): Promise<void>;
  coolingDown(organisation: string, assetIds: readonly string[], at: Date): Promise<string[]>;
  startCooldown(
    organisation: string,
    planId: string,
    assetIds: readonly string[],
    until: Date,
  ): Promise<void>;
  /** Approved plans set to start whose workflow has not been started yet, of every organisation. */
  awaitingStart(limit: number): Promise<PlanRecord[]>;
  /** The organisation's plans, newest first. */
  list(organisation: string, limit: number): Promise<PlanRecord[]>;
}
