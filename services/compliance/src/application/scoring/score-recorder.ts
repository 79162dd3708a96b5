import type { ComplianceScoredV1 } from '@rf/contracts';
import { randomUUID } from 'node:crypto';
import type { ComplianceThresholds } from '../../domain/scoring/compliance-thresholds';
import { badgeFor } from '../../domain/scoring/composite-score';
import type {
  ComplianceStore,
  StoredControl,
  StoredScore,
  SubjectKind,
} from '../ports/compliance.store.port';

function same(a: StoredScore, score: number, controls: readonly StoredControl[]): boolean {
  if (a.score !== score || a.controls.length !== controls.length) return false;
  return a.controls.every((c, i) => {
    const d = controls[i];
    return (
      d !== undefined &&
      c.controlId === d.controlId &&
      c.status === d.status &&
      c.evidenceEventIds.join() === d.evidenceEventIds.join()
    );
  });
}

/**
 * An environment's or the organisation's control can rest on every asset's evidence; the event
 * carries the most recent references and stays far below the broker's message size limit. The API
 * serves the whole list.
 */
export const MAX_EVIDENCE_PER_CONTROL_IN_EVENT = 64;

/**
 * Stores a subject's new score when it differs from its last one (score, a control's status, or its
 * evidence), and gives back the compliance.scored event announcing it, evidence linked to the ledger.
 */
export class ScoreRecorder {
  constructor(
    private readonly store: ComplianceStore,
    private readonly thresholds: ComplianceThresholds,
  ) {}

  async record(
    kind: SubjectKind,
    subjectId: string,
    score: number,
    controls: readonly StoredControl[],
    now: Date,
  ): Promise<ComplianceScoredV1 | undefined> {
    const previous = await this.store.latestScore(kind, subjectId);
    if (previous !== undefined && same(previous, score, controls)) return undefined;
    const stored: StoredScore = {
      scoreId: randomUUID(),
      subjectKind: kind,
      subjectId,
      score,
      previousScore: previous?.score ?? null,
      target: this.thresholds.target,
      badge: badgeFor(score, this.thresholds),
      controls: controls.map((c) => ({ ...c })),
      scoredAt: now,
    };
    await this.store.saveScore(stored);
    const links = await this.store.evidenceLinks(controls.flatMap((c) => c.evidenceEventIds));
    return {
      scoreId: stored.scoreId,
      subjectKind: kind,
      subjectId,
      score,
      ...(stored.previousScore === null ? {} : { previousScore: stored.previousScore }),
      target: stored.target,
      badge: stored.badge,
      controls: controls.map((c) => ({
        controlId: c.controlId,
        weight: c.weight,
        status: c.status,
        evidence: c.evidenceEventIds
          .flatMap((id) => {
            const link = links.get(id);
            return link === undefined ? [] : [{ index: link.index, leafHash: link.leafHash }];
          })
          .sort((a, b) => b.index - a.index)
          .slice(0, MAX_EVIDENCE_PER_CONTROL_IN_EVENT),
      })),
      scoredAt: now.toISOString(),
    };
  }
}
