import { ComplianceError } from '../../../domain/compliance.error';
import { COMPLIANCE_CONTROLS } from '../../../domain/control/compliance-control';
import type { ComplianceTenants, StoredScore, SubjectKind } from '../../ports/compliance.store.port';
import type { ExplainScoreQuery } from './explain-score.query';

export interface ControlExplanation {
  readonly controlId: string;
  readonly title: string;
  readonly weight: number;
  readonly status: string;
  readonly reason: string;
  readonly applicable?: number;
  readonly passing?: number;
  /** Each supporting event, with its ledger entry once the ledger has appended it (null until then). */
  readonly evidence: readonly {
    readonly eventId: string;
    readonly ledger: { readonly index: number; readonly leafHash: string } | null;
  }[];
}

export interface ScoreExplanation {
  readonly scoreId: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly score: number;
  readonly previousScore: number | null;
  readonly target: number;
  readonly meetsTarget: boolean;
  readonly badge: string;
  readonly scoredAt: string;
  readonly controls: readonly ControlExplanation[];
}

/** Scores of the caller's organisation only: another organisation's subject has no score here. */
export class ExplainScoreHandler {
  constructor(private readonly tenants: ComplianceTenants) {}

  async latest(organisation: string, subjectKind: SubjectKind, subjectId: string): Promise<StoredScore> {
    const score = await this.tenants.forOrganisation(organisation).latestScore(subjectKind, subjectId);
    if (score === undefined) {
      throw new ComplianceError('COMPLIANCE.SCORE_NOT_FOUND', `No score for ${subjectKind} ${subjectId}`, {
        metadata: { subjectKind, subjectId },
      });
    }
    return score;
  }

  async execute(organisation: string, query: ExplainScoreQuery): Promise<ScoreExplanation> {
    const score = await this.latest(organisation, query.subjectKind, query.subjectId);
    const links = await this.tenants
      .forOrganisation(organisation)
      .evidenceLinks(score.controls.flatMap((c) => c.evidenceEventIds));
    return {
      scoreId: score.scoreId,
      subjectKind: score.subjectKind,
      subjectId: score.subjectId,
      score: score.score,
      previousScore: score.previousScore,
      target: score.target,
      meetsTarget: score.score >= score.target,
      badge: score.badge,
      scoredAt: score.scoredAt.toISOString(),
      controls: score.controls.map((c) => ({
        controlId: c.controlId,
        title: COMPLIANCE_CONTROLS.find((x) => x.id === c.controlId)?.title ?? c.controlId,
        weight: c.weight,
        status: c.status,
        reason: c.reason,
        ...(c.applicable === undefined ? {} : { applicable: c.applicable, passing: c.passing ?? 0 }),
        evidence: c.evidenceEventIds.map((eventId) => {
          const link = links.get(eventId);
          return {
            eventId,
            ledger: link === undefined ? null : { index: link.index, leafHash: link.leafHash },
          };
        }),
      })),
    };
  }

  async trend(organisation: string, kind: SubjectKind, subjectId: string, limit: number) {
    const history = await this.tenants.forOrganisation(organisation).scoreHistory(kind, subjectId, limit);
    if (history.length === 0) {
      throw new ComplianceError('COMPLIANCE.SCORE_NOT_FOUND', `No score for ${kind} ${subjectId}`, {
        metadata: { subjectKind: kind, subjectId },
      });
    }
    return history
      .reverse()
      .map((s) => ({ scoredAt: s.scoredAt.toISOString(), score: s.score, badge: s.badge }));
  }
}
