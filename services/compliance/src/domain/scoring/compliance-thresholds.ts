/** What "met" means for each control, and the score target. */
export interface ComplianceThresholds {
  /** Score a subject must reach; 0.85 unless configured otherwise. */
  readonly target: number;
  /** Below target but within this band: at risk rather than non-compliant. */
  readonly atRiskBand: number;
  readonly minCisLevel: number;
  readonly minSlsaBuildLevel: number;
  /** Minimum drift coverage of the asset's environment, percent. */
  readonly minDriftCoveragePct: number;
  /** How long an asset may stay drifted before patching is late, days. */
  readonly patchSlaDays: number;
  /** Age of the latest backup beyond which backups are not current, days. */
  readonly maxBackupAgeDays: number;
  /** Age of the latest DR drill beyond which it no longer counts, days. */
  readonly maxDrillAgeDays: number;
}

export const DEFAULT_COMPLIANCE_THRESHOLDS: ComplianceThresholds = {
  target: 0.85,
  atRiskBand: 0.1,
  minCisLevel: 1,
  minSlsaBuildLevel: 2,
  minDriftCoveragePct: 90,
  patchSlaDays: 14,
  maxBackupAgeDays: 7,
  maxDrillAgeDays: 90,
};
