import type { UnitOfWork, UnitOfWorkContext } from '@rf/platform-events';
import { RemediationError } from '../domain/remediation.error';
import type { ApprovePlanCommand } from './commands/approve-plan/approve-plan.command';
import { type ApprovePlanHandler, notFound } from './commands/approve-plan/approve-plan.handler';
import type { CreatePlanCommand } from './commands/create-plan/create-plan.command';
import type { CreatePlanHandler, PlanStores } from './commands/create-plan/create-plan.handler';
import type {
  OverrideRiskCommand,
  OverrideRiskHandler,
} from './commands/override-risk/override-risk.handler';
import type { PlanStarter } from './commands/start-plans/plan-starter';
import type { SteerPlanCommand } from './commands/steer-plan/steer-plan.command';
import type { SteerPlanHandler } from './commands/steer-plan/steer-plan.handler';
import type { RiskOverride } from './ports/assessment.repository.port';
import type { PlanRecord } from './ports/plan-record';
import type { RolloutWorkflows } from './ports/rollout-workflows.port';
import type { PlanView } from './queries/get-plan/get-plan.handler';

export interface CommandLogger {
  warn(message: string): void;
}

/** Who asks, in which organisation: the plan or assessment must be that organisation's. */
export interface CallerOrganisation {
  readonly organisation: string;
  readonly callerId: string;
}

/**
 * The remediation use cases as the API and the consumers call them: each state change commits
 * with its events, then the workflow hears of it (signal or start) after the commit.
 */
export class RemediationCommands {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stores: (work: UnitOfWorkContext | null) => PlanStores,
    private readonly handlers: {
      readonly create: CreatePlanHandler;
      readonly approve: ApprovePlanHandler;
      readonly steer: SteerPlanHandler;
      readonly override: OverrideRiskHandler;
    },
    private readonly starter: PlanStarter,
    private readonly workflows: RolloutWorkflows,
    private readonly logger: CommandLogger,
  ) {}

  /** Plans within the caller's transaction (the inbox's); the caller kicks the starter after commit. */
  planIn(work: UnitOfWorkContext, command: CreatePlanCommand): Promise<PlanRecord> {
    return this.handlers.create.execute(work, this.stores(work), command);
  }

  async plan(command: CreatePlanCommand): Promise<PlanRecord> {
    const plan = await this.unitOfWork.run((work) => this.planIn(work, command));
    if (plan.autoStart && plan.status === 'approved') await this.kickStarter();
    return plan;
  }

  async approve(command: ApprovePlanCommand): Promise<PlanRecord> {
    const result = await this.notFoundLogged(
      { organisation: command.organisation, callerId: command.approver.id },
      'plan',
      command.planId,
      () =>
        this.unitOfWork.run((work) => this.handlers.approve.execute(work, this.stores(work).plans, command)),
    );
    if (result.signalWorkflow) {
      await this.workflows.signal(result.plan, 'approve', { actor: command.approver.id });
    } else if (result.plan.autoStart) {
      await this.kickStarter();
    }
    return result.plan;
  }

  async steer(command: SteerPlanCommand): Promise<PlanRecord> {
    const result = await this.notFoundLogged(
      { organisation: command.organisation, callerId: command.actor.id },
      'plan',
      command.planId,
      () =>
        this.unitOfWork.run((work) => this.handlers.steer.execute(work, this.stores(work).plans, command)),
    );
    if (result.signal) {
      await this.workflows.signal(result.plan, result.signal, {
        actor: command.actor.id,
        ...(command.reason ? { reason: command.reason } : {}),
      });
    }
    if (result.start) await this.starter.startPending();
    if (result.rollback) {
      await this.workflows.rollBack(
        result.plan,
        command.actor,
        command.reason ?? `rolled back by ${command.actor.id}`,
      );
    }
    return (await this.stores(null).plans.get(command.organisation, result.plan.id)) ?? result.plan;
  }

  override(command: OverrideRiskCommand): Promise<RiskOverride> {
    return this.notFoundLogged(
      { organisation: command.organisation, callerId: command.by.id },
      'assessment',
      command.assessmentId,
      () => this.handlers.override.execute(this.stores(null).assessments, command),
    );
  }

  async view(caller: CallerOrganisation, planId: string): Promise<PlanView> {
    const { plans, assessments } = this.stores(null);
    const plan = await this.notFoundLogged(caller, 'plan', planId, async () => {
      const found = await plans.get(caller.organisation, planId);
      if (!found) throw notFound(planId);
      return found;
    });
    const assessment = (await assessments.get(plan.organisation, plan.assessmentId)) ?? null;
    const overrides = await assessments.overrides(plan.assessmentId);
    let progress: PlanView['progress'] = null;
    let progressError: string | null = null;
    try {
      progress = await this.workflows.progress(plan);
    } catch (error: unknown) {
      progressError = error instanceof RemediationError ? error.message : String(error);
    }
    return { plan, assessment, overrides, progress, progressError };
  }

  list(organisation: string, limit: number): Promise<PlanRecord[]> {
    return this.stores(null).plans.list(organisation, limit);
  }

  /**
   * Runs a use case on one plan or assessment; when it is not found and the record is another
   * organisation's, the attempt is logged (caller, organisation asked from, record id) and the
   * caller still gets the same not-found as for a missing id.
   */
  private async notFoundLogged<T>(
    caller: CallerOrganisation,
    kind: 'plan' | 'assessment',
    id: string,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error: unknown) {
      if (error instanceof RemediationError && error.kind === 'not_found') {
        const { plans, assessments } = this.stores(null);
        const owner = await (kind === 'plan' ? plans : assessments).organisationOf(id);
        if (owner !== undefined && owner !== caller.organisation) {
          this.logger.warn(
            `cross-tenant ${kind} access refused: caller ${caller.callerId} of organisation ` +
              `${caller.organisation} asked for ${kind} ${id}`,
          );
        }
      }
      throw error;
    }
  }

  /** Starts approved plans now; a failure is retried by the scheduled pass. */
  async kickStarter(): Promise<void> {
    try {
      await this.starter.startPending();
    } catch (error: unknown) {
      this.logger.warn(`starting approved plans failed, the next pass retries: ${String(error)}`);
    }
  }
}
