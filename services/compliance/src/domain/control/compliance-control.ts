/** The controls every asset is scored on. Ids follow `<catalogue>:<control>` as compliance.scored requires. */
export const COMPLIANCE_CONTROL_IDS = [
  'rf:image-signed',
  'rf:sbom-present',
  'cis:level-met',
  'slsa:build-level',
  'rf:drift-coverage',
  'rf:patch-latency',
  'rf:backups-verified',
  'rf:dr-drill-passed',
] as const;
export type ComplianceControlId = (typeof COMPLIANCE_CONTROL_IDS)[number];

export interface ComplianceControl {
  readonly id: ComplianceControlId;
  readonly title: string;
  /** Relative weight; the catalogue's weights sum to 1. */
  readonly weight: number;
}

/**
 * Weights put supply-chain integrity first (what runs is what was built and signed), then drift and
 * patching (it stays current), then recovery (it can come back).
 */
export const COMPLIANCE_CONTROLS: readonly ComplianceControl[] = [
  { id: 'rf:image-signed', title: 'Image signature verified', weight: 0.2 },
  { id: 'rf:sbom-present', title: 'SBOM recorded for the image', weight: 0.1 },
  { id: 'cis:level-met', title: 'CIS benchmark level met', weight: 0.15 },
  { id: 'slsa:build-level', title: 'SLSA build level met', weight: 0.1 },
  { id: 'rf:drift-coverage', title: 'Drift coverage above threshold', weight: 0.15 },
  { id: 'rf:patch-latency', title: 'Patch latency within SLA', weight: 0.1 },
  { id: 'rf:backups-verified', title: 'Backups recent and restore-verified', weight: 0.1 },
  { id: 'rf:dr-drill-passed', title: 'Last DR drill passed', weight: 0.1 },
];
