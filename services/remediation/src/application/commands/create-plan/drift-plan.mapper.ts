import type { DriftDetectedV1 } from '@rf/contracts';
import type { RiskFactorValues } from '../../../domain/risk/risk-factors';
import type { CreatePlanCommand } from './create-plan.command';

/** Criticality by environment name; unknown environments count as production. */
const CRITICALITY: Readonly<Record<string, number>> = { dev: 0.1, test: 0.1, staging: 0.4, prod: 0.8 };

/**
 * Risk factors of a drift: a revoked version is severe and likely exploited; an outdated one grows
 * more severe with age. Drift carries no dependency or rollback data, so those take middling values.
 */
export function driftRiskFactors(
  drift: Pick<DriftDetectedV1, 'cause' | 'driftAgeDays' | 'environment'>,
): RiskFactorValues {
  const revoked = drift.cause === 'revoked';
  const age = Math.min(1, drift.driftAgeDays / 90);
  return {
    severity: revoked ? 0.9 : Math.round((0.2 + 0.5 * age) * 100) / 100,
    exploitability: revoked ? 0.7 : 0.2,
    assetCriticality: CRITICALITY[drift.environment] ?? CRITICALITY['prod'] ?? 0.8,
    // A version promoted through the channels is mature by the time it drifts an asset.
    patchMaturity: 0.2,
    dependencies: 0.3,
    rollbackComplexity: 0.3,
  };
}

/**
 * A drift episode becomes a one-asset plan to its channel's expected version, started when allowed,
 * in the organisation of the drift event.
 */
export function planFromDrift(
  drift: DriftDetectedV1,
  eventId: string,
  organisation: string,
): CreatePlanCommand {
  return {
    organisation,
    source: 'drift',
    sourceRef: eventId,
    family: drift.family,
    toVersion: drift.expectedVersion,
    environment: drift.environment,
    assetIds: [drift.assetId],
    factors: driftRiskFactors(drift),
    complianceImpact: 0,
    requestedBy: { kind: 'service', id: 'drift' },
    autoStart: true,
  };
}
