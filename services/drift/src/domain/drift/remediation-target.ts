import type { DriftTransition } from './drift.types';

/** A remediation plan's intent for one asset: move it to `toVersion` of `family`. */
export interface RemediationTarget {
  readonly assetId: string;
  readonly planId: string;
  readonly family: string;
  readonly toVersion: string;
  /** When the plan was made (epoch ms). */
  readonly plannedAt: number;
}

/**
 * Credits a remediation plan with a drift episode its asset's own update ended: the asset now runs
 * the version the plan targeted for it, of the same family. Anything else is left as it was.
 */
export function attributeResolution(
  transition: DriftTransition,
  target: RemediationTarget | undefined,
): DriftTransition {
  if (
    target === undefined ||
    transition.kind !== 'resolved' ||
    transition.resolution !== 'updated_out_of_band' ||
    transition.episode.family !== target.family ||
    transition.currentVersion !== target.toVersion
  ) {
    return transition;
  }
  return { ...transition, resolution: 'remediated', remediationPlanId: target.planId };
}
