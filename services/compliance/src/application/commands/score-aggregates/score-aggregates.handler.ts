import type { ComplianceScoredV1 } from '@rf/contracts';
import { type AssetFacts, isScored } from '../../../domain/scoring/asset-facts';
import type { ComplianceThresholds } from '../../../domain/scoring/compliance-thresholds';
import { aggregateScore } from '../../../domain/scoring/composite-score';
import { evaluateAssetControls } from '../../../domain/scoring/evaluate-asset-controls';
import type { Clock } from '../../ports/clock.port';
import type { ComplianceStore, StoredControl } from '../../ports/compliance.store.port';
import { ScoreRecorder } from '../../scoring/score-recorder';

/** Marked subjects handled per round; the rest wait for the next. */
export const AGGREGATES_PER_ROUND = 100;

/**
 * Re-scores the environments and the organisation marked since the last round, pooled over their
 * scored assets (terminated and removed ones are out). Aggregating once per round rather than once
 * per event keeps a burst of inventory events from re-reading every asset each time.
 */
export class ScoreAggregatesHandler {
  constructor(
    private readonly store: ComplianceStore,
    private readonly thresholds: ComplianceThresholds,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<ComplianceScoredV1[]> {
    const dirty = await this.store.takeDirty(AGGREGATES_PER_ROUND);
    if (dirty.length === 0) return [];
    const now = this.clock.now();
    const recorder = new ScoreRecorder(this.store, this.thresholds);
    const out: ComplianceScoredV1[] = [];
    let everything: AssetFacts[] | undefined;
    for (const subject of dirty) {
      const assets =
        subject.kind === 'organisation'
          ? (everything ??= await this.store.assetFacts({}))
          : await this.store.assetFacts({ environment: subject.id });
      const result = aggregateScore(
        assets.filter(isScored).map((a) => evaluateAssetControls(a, this.thresholds, now)),
      );
      if (result.score === null) continue;
      const controls: StoredControl[] = result.controls.map((c) => ({
        controlId: c.controlId,
        weight: c.weight,
        status: c.status,
        reason: `${c.passing} of ${c.applicable} assets pass`,
        evidenceEventIds: c.evidenceEventIds,
        applicable: c.applicable,
        passing: c.passing,
      }));
      const scored = await recorder.record(subject.kind, subject.id, result.score, controls, now);
      if (scored) out.push(scored);
    }
    return out;
  }
}
