import type { AutonomyLevel } from './autonomy-level';
import type { RiskFactorValues, RiskWeights } from './risk-factors';

export type DeploymentStrategy = 'canary' | 'rolling' | 'blue_green' | 'manual';

export interface RiskTiming {
  readonly window: 'immediate' | 'next_maintenance_window' | 'scheduled';
  readonly notBefore: Date;
  readonly notAfter?: Date;
  readonly maintenanceWindowId?: string;
}

/** What is being assessed: the assets of one environment moving to one version. */
export interface RiskTarget {
  readonly family: string;
  readonly toVersion: string;
  readonly environment: string;
  readonly assetCount: number;
}

export interface RiskInput {
  readonly target: RiskTarget;
  readonly factors: RiskFactorValues;
  /**
   * Regulatory weight of the assets (PCI, HIPAA…), 0 to 1: a compliance-critical fleet is riskier
   * to change, so it raises the score.
   */
  readonly complianceImpact: number;
}

export interface RiskAssessment {
  readonly target: RiskTarget;
  readonly factors: RiskFactorValues;
  readonly weights: RiskWeights;
  readonly complianceImpact: number;
  /** Σ value·weight before adjustments. */
  readonly baseScore: number;
  readonly adjustments: readonly { readonly name: string; readonly delta: number }[];
  /** 0..1 after adjustments. */
  readonly score: number;
  readonly autonomyLevel: AutonomyLevel;
  readonly strategy: DeploymentStrategy;
  readonly timing: RiskTiming;
  readonly reasoning: readonly string[];
  readonly model: { readonly name: string; readonly version: string };
  readonly assessedAt: Date;
}

/** The gate's risk scale (rf.remediation) is 0..100. */
export function policyRiskScore(score: number): number {
  return Math.round(score * 100);
}
