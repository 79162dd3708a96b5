import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { Authorize, CallerOrganisation, callerScope } from '@rf/platform-auth';
import type { Response } from 'express';
import { COMPLIANCE_THRESHOLDS } from '../application/compliance.tokens';
import {
  ExplainScoreHandler,
  type ScoreExplanation,
} from '../application/queries/explain-score/explain-score.handler';
import { ExplainScoreQuery } from '../application/queries/explain-score/explain-score.query';
import { COMPLIANCE_CONTROLS } from '../domain/control/compliance-control';
import type { ComplianceThresholds } from '../domain/scoring/compliance-thresholds';
import { badgeJson, badgeSvg } from './compliance-badge.view';
import { BadgeParams, parseRequest, SubjectParams, TrendQuery } from './compliance-request.params';

/**
 * Scores of the caller's organisation, their explanations, trends and badges. Every score names, per
 * control, the events it rests on and their ledger entries, which `rf ledger verify` or an evidence
 * pack proves. Another organisation's subject answers 404, like one never scored.
 */
@Controller('api/v1/compliance')
export class ComplianceController {
  constructor(
    private readonly explain: ExplainScoreHandler,
    @Inject(COMPLIANCE_THRESHOLDS) private readonly thresholds: ComplianceThresholds,
  ) {}

  /** The controls catalogue with weights, and what "met" means for each. */
  @Get('controls')
  @Authorize('compliance.read', callerScope('compliance'))
  controls() {
    return { target: this.thresholds.target, thresholds: this.thresholds, controls: COMPLIANCE_CONTROLS };
  }

  @Get('organisation')
  @Authorize('compliance.read', callerScope('compliance'))
  organisation(@CallerOrganisation() organisation: string): Promise<ScoreExplanation> {
    return this.explain.execute(organisation, new ExplainScoreQuery('organisation', organisation));
  }

  @Get('scores/:kind/:id')
  @Authorize('compliance.read', callerScope('compliance'))
  score(@CallerOrganisation() organisation: string, @Param() params: unknown): Promise<ScoreExplanation> {
    const p = parseRequest(SubjectParams, params);
    return this.explain.execute(organisation, new ExplainScoreQuery(p.kind, p.id));
  }

  /** Score history, oldest first: one point per change. */
  @Get('scores/:kind/:id/trend')
  @Authorize('compliance.read', callerScope('compliance'))
  async trend(@CallerOrganisation() organisation: string, @Param() params: unknown, @Query() query: unknown) {
    const p = parseRequest(SubjectParams, params);
    const q = parseRequest(TrendQuery, query);
    return {
      subjectKind: p.kind,
      subjectId: p.id,
      target: this.thresholds.target,
      points: await this.explain.trend(organisation, p.kind, p.id, q.limit),
    };
  }

  @Get('badges/:kind/:file')
  @Authorize('compliance.read', callerScope('compliance'))
  @Header('cache-control', 'no-cache')
  async badge(
    @CallerOrganisation() organisation: string,
    @Param() params: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const p = parseRequest(BadgeParams, params);
    const svg = p.file.endsWith('.svg');
    const id = p.file.slice(0, p.file.length - (svg ? 4 : 5));
    const score = await this.explain.latest(organisation, p.kind, id);
    if (!svg) return badgeJson(score.score, score.badge, score.target);
    res.type('image/svg+xml');
    return badgeSvg(score.score, score.badge, score.target);
  }
}
