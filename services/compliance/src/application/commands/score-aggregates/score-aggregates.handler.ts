import type { ComplianceScoredV1 } from '@rf/contracts';
import { type AssetFacts, isScored } from '../../../domain/scoring/asset-facts';
import type { ComplianceThresholds } from '../../../domain/scoring/compliance-thresholds';
import { aggregateScore } from '../../../domain/scoring/composite-score';
import { evaluateAssetControls } from '../../../domain/scoring/evaluate-asset-controls';
import type { Clock } from '../../ports/clock.port';
import type { ComplianceStore, ComplianceTenants, StoredControl } from '../../ports/compliance.store.port';
import { ScoreRecorder } from '../../scoring/score-recorder';

/** Marked subjects handled per round; the rest wait for the next. */
export const AGGREGATES_PER_ROUND = 100;

/** A score announcement and the organisation it is about (its event's `ce_organisation`). */
export interface OrganisationScore {
  readonly organisation: string;
  readonly data: ComplianceScoredV1;
}

/**
 * Re-scores the environments and organisations marked since the last round, each pooled over its
 * own organisation's scored assets only (terminated and removed ones are out). Aggregating once per
 * round rather than once per event keeps a burst of inventory events from re-reading every asset
 * each time.
 */
export class ScoreAggregatesHandler {
  constructor(
    private readonly tenants: ComplianceTenants,
    private readonly thresholds: ComplianceThresholds,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<OrganisationScore[]> {
    const dirty = await this.tenants.takeDirty(AGGREGATES_PER_ROUND);
    if (dirty.length === 0) return [];
    const now = this.clock.now();
    const out: OrganisationScore[] = [];
    const stores = new Map<string, { store: ComplianceStore; recorder: ScoreRecorder; all?: AssetFacts[] }>();
    for (const subject of dirty) {
      let tenant = stores.get(subject.organisation);
      if (!tenant) {
        const store = this.tenants.forOrganisation(subject.organisation);
        tenant = { store, recorder: new ScoreRecorder(store, this.thresholds) };
        stores.set(subject.organisation, tenant);
      }
      const { store, recorder } = tenant;
      const assets =
        subject.kind === 'organisation'
          ? (tenant.all ??= await store.assetFacts({}))
          : await store.assetFacts({ environment: subject.id });
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
      if (scored) out.push({ organisation: subject.organisation, data: scored });
    }
    return out;
  }
}
