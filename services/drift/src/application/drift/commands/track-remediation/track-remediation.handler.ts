import type { RemediationTarget } from '../../../../domain/drift/remediation-target';
import type { DriftStore } from '../../ports/drift-store.port';

/** A remediation plan as the drift engine needs it: which version it moves which assets to. */
export interface PlannedRemediation {
  readonly planId: string;
  readonly family: string;
  readonly toVersion: string;
  readonly assetIds: readonly string[];
  /** Epoch ms. */
  readonly plannedAt: number;
}

/**
 * Remembers what remediation plans move each asset to, so that when an asset's next update ends
 * its drift on that version the episode resolves as `remediated` with the plan's id. A rolled-back
 * plan is forgotten: its assets return to their previous version, and a later fix is not its own.
 */
export class TrackRemediationHandler {
  async planned(store: DriftStore, plan: PlannedRemediation): Promise<void> {
    const targets: RemediationTarget[] = plan.assetIds.map((assetId) => ({
      assetId,
      planId: plan.planId,
      family: plan.family,
      toVersion: plan.toVersion,
      plannedAt: plan.plannedAt,
    }));
    await store.saveRemediationTargets(targets);
  }

  async rolledBack(store: DriftStore, planId: string): Promise<void> {
    await store.deleteRemediationTargetsOfPlan(planId);
  }
}
