/** How much a remediation may do on its own, from recommending only to running unattended. */
export const AUTONOMY_LEVELS = {
  MANUAL_ONLY: 0,
  AI_ASSISTED: 1,
  SUPERVISED: 2,
  APPROVAL_REQUIRED: 3,
  HIGH_AUTONOMY: 4,
  FULL_AUTONOMY: 5,
} as const;

export type AutonomyLevel = (typeof AUTONOMY_LEVELS)[keyof typeof AUTONOMY_LEVELS];

export const AUTONOMY_LEVEL_NAMES: Readonly<Record<AutonomyLevel, string>> = {
  0: 'MANUAL_ONLY',
  1: 'AI_ASSISTED',
  2: 'SUPERVISED',
  3: 'APPROVAL_REQUIRED',
  4: 'HIGH_AUTONOMY',
  5: 'FULL_AUTONOMY',
};

/**
 * Highest score each level accepts, most autonomous first: a score at or below `maxScore` earns
 * the level. Anything above the last entry is MANUAL_ONLY.
 */
export interface AutonomyThreshold {
  readonly level: Exclude<AutonomyLevel, 0>;
  readonly maxScore: number;
}

export const DEFAULT_AUTONOMY_THRESHOLDS: readonly AutonomyThreshold[] = [
  { level: 5, maxScore: 0.2 },
  { level: 4, maxScore: 0.35 },
  { level: 3, maxScore: 0.5 },
  { level: 2, maxScore: 0.65 },
  { level: 1, maxScore: 0.8 },
];

export function autonomyLevelFor(score: number, thresholds: readonly AutonomyThreshold[]): AutonomyLevel {
  for (const t of thresholds) if (score <= t.maxScore) return t.level;
  return AUTONOMY_LEVELS.MANUAL_ONLY;
}

export function isAutonomyLevel(value: unknown): value is AutonomyLevel {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5;
}
