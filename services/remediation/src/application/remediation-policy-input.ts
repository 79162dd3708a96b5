import type { EnvironmentProfile } from './remediation-settings';

export interface WaveGateRequest {
  readonly action: 'remediation.plan' | 'remediation.approve' | 'remediation.start';
  readonly planId: string;
  readonly autonomyLevel: number;
  /** 0..100. */
  readonly riskScore: number;
  readonly waveIndex: number;
  readonly waveAssets: number;
  readonly fleetSize: number;
  readonly environment: string;
}

/** The `rf.remediation` input for one wave of a plan, at `now`. Pure: same request, same input. */
export function buildRemediationPolicyInput(
  request: WaveGateRequest,
  profile: EnvironmentProfile,
  now: Date,
): Record<string, unknown> {
  return {
    now: now.toISOString(),
    action: request.action,
    autonomyLevel: request.autonomyLevel,
    plan: { id: request.planId, riskScore: request.riskScore },
    wave: { index: request.waveIndex, assets: request.waveAssets },
    // A plan is never measured against a fleet smaller than itself.
    fleet: { size: Math.max(request.fleetSize, request.waveAssets) },
    environment: {
      name: request.environment,
      utcOffset: profile.utcOffset,
      ...(profile.changeWindows ? { changeWindows: profile.changeWindows } : {}),
      ...(profile.businessHours ? { businessHours: profile.businessHours } : {}),
      ...(profile.freezes ? { freezes: profile.freezes } : {}),
    },
  };
}
