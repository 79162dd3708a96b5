import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { Authorize, callerOrganisationOf, callerScope } from '@rf/platform-auth';
import type { AuthorizableRequest } from '@rf/platform-policy';
import { createHash } from 'node:crypto';
import type { CreatePlanCommand } from '../application/commands/create-plan/create-plan.command';
import type { RiskOverride } from '../application/ports/assessment.repository.port';
import type { Actor, PlanRecord } from '../application/ports/plan-record';
import type { PlanView } from '../application/queries/get-plan/get-plan.handler';
import { RemediationCommands } from '../application/remediation-commands';
import {
  ApproveBody,
  CreatePlanBody,
  IdParam,
  OverrideBody,
  parseRequest,
  SteerBody,
} from './remediation-request.schemas';

/** Factors an API request does not give take these middling values. */
const DEFAULT_FACTORS = {
  severity: 0.5,
  exploitability: 0.3,
  assetCriticality: 0.5,
  patchMaturity: 0.3,
  dependencies: 0.3,
  rollbackComplexity: 0.3,
} as const;

/** Who acts: the caller the AuthGuard authenticated; the body's claim only for a request without one. */
function actorOf(req: AuthorizableRequest, claimed: Actor | undefined): Actor {
  const p = req.principal;
  if (p) return { kind: p.kind, id: p.id, ...(p.displayName ? { displayName: p.displayName } : {}) };
  return claimed ?? { kind: 'user', id: 'anonymous' };
}

/**
 * Plans, approvals and steering of remediations. Each route is authorised with its `rf.authz`
 * action (see docs/policy.md) on the caller forwarded by the gateway, and reaches only the
 * caller's organisation's plans: another organisation's plan or assessment is not found (404).
 */
@Controller('api/v1/remediation')
export class RemediationController {
  constructor(@Inject(RemediationCommands) private readonly commands: RemediationCommands) {}

  @Post('plans')
  @Authorize('remediation.plan', callerScope('plan'))
  @HttpCode(201)
  async plan(@Body() body: unknown, @Req() req: AuthorizableRequest): Promise<PlanRecord> {
    const b = parseRequest(CreatePlanBody, body, 'plan request');
    const factors = {
      ...DEFAULT_FACTORS,
      ...(b.vulnerability
        ? { severity: b.vulnerability.severity, exploitability: b.vulnerability.exploitability }
        : {}),
      ...b.factors,
    };
    const sourceRef =
      b.idempotencyKey ??
      createHash('sha256')
        .update(
          JSON.stringify([b.family, b.toVersion, b.environment, [...b.assetIds].sort(), b.vulnerability?.id]),
        )
        .digest('hex');
    const command: CreatePlanCommand = {
      organisation: callerOrganisationOf(req),
      source: 'api',
      sourceRef,
      family: b.family,
      toVersion: b.toVersion,
      ...(b.imageVersionId ? { imageVersionId: b.imageVersionId } : {}),
      environment: b.environment,
      assetIds: b.assetIds,
      factors,
      complianceImpact: b.complianceImpact,
      ...(b.wavePolicy ? { wavePolicy: b.wavePolicy } : {}),
      ...(b.fleetSize ? { fleetSize: b.fleetSize } : {}),
      requestedBy: actorOf(req, b.requestedBy),
      autoStart: false,
    };
    return this.commands.plan(command);
  }

  @Get('plans')
  @Authorize('remediation.read', callerScope('plan'))
  list(@Req() req: AuthorizableRequest, @Query('limit') limit?: string): Promise<PlanRecord[]> {
    const n = Math.min(500, Math.max(1, Number.parseInt(limit ?? '50', 10) || 50));
    return this.commands.list(callerOrganisationOf(req), n);
  }

  @Get('plans/:id')
  @Authorize('remediation.read', callerScope('plan'))
  status(@Param() params: unknown, @Req() req: AuthorizableRequest): Promise<PlanView> {
    const caller = { organisation: callerOrganisationOf(req), callerId: req.principal?.id ?? 'anonymous' };
    return this.commands.view(caller, parseRequest(IdParam, params, 'path').id);
  }

  @Post('plans/:id/approve')
  @Authorize('remediation.approve', callerScope('plan'))
  @HttpCode(200)
  approve(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    const { id } = parseRequest(IdParam, params, 'path');
    const b = parseRequest(ApproveBody, body, 'approval');
    return this.commands.approve({
      organisation: callerOrganisationOf(req),
      planId: id,
      approver: actorOf(req, b.approver),
      ...(b.comment ? { comment: b.comment } : {}),
    });
  }

  @Post('plans/:id/start')
  @Authorize('remediation.start', callerScope('plan'))
  @HttpCode(200)
  start(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    return this.steer('start', params, body, req);
  }

  @Post('plans/:id/pause')
  @Authorize('remediation.pause', callerScope('plan'))
  @HttpCode(200)
  pause(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    return this.steer('pause', params, body, req);
  }

  @Post('plans/:id/resume')
  @Authorize('remediation.resume', callerScope('plan'))
  @HttpCode(200)
  resume(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    return this.steer('resume', params, body, req);
  }

  @Post('plans/:id/abort')
  @Authorize('remediation.cancel', callerScope('plan'))
  @HttpCode(200)
  abort(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    return this.steer('abort', params, body, req);
  }

  /** remediation.rollback: reverts a completed plan with the standalone RollbackWorkflow. */
  @Post('plans/:id/rollback')
  @Authorize('remediation.rollback', callerScope('plan'))
  @HttpCode(200)
  rollback(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    return this.steer('rollback', params, body, req);
  }

  /** autonomy.configure: a person overrides an assessment; recorded beside it. */
  @Post('assessments/:id/overrides')
  @Authorize('autonomy.configure', callerScope('assessment'))
  @HttpCode(201)
  override(
    @Param() params: unknown,
    @Body() body: unknown,
    @Req() req: AuthorizableRequest,
  ): Promise<RiskOverride> {
    const { id } = parseRequest(IdParam, params, 'path');
    const b = parseRequest(OverrideBody, body, 'override');
    return this.commands.override({
      organisation: callerOrganisationOf(req),
      assessmentId: id,
      autonomyLevel: b.autonomyLevel,
      ...(b.strategy ? { strategy: b.strategy } : {}),
      reason: b.reason,
      by: actorOf(req, b.by),
    });
  }

  private steer(
    action: 'start' | 'pause' | 'resume' | 'abort' | 'rollback',
    params: unknown,
    body: unknown,
    req: AuthorizableRequest,
  ): Promise<PlanRecord> {
    const { id } = parseRequest(IdParam, params, 'path');
    const b = parseRequest(SteerBody, body, action);
    return this.commands.steer({
      organisation: callerOrganisationOf(req),
      planId: id,
      action,
      actor: actorOf(req, b.actor),
      ...(b.reason ? { reason: b.reason } : {}),
    });
  }
}
