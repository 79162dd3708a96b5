import type { HealthCriteria } from '../domain/health/health-verdict';
import type { WavePolicy } from '../domain/plan/wave-policy';

export interface PolicyWindow {
  readonly days: readonly string[];
  readonly start: string;
  readonly end: string;
}

/** What the gate knows of an environment: its clock, windows and freezes. */
export interface EnvironmentProfile {
  readonly utcOffset: string;
  readonly changeWindows?: readonly PolicyWindow[];
  readonly businessHours?: PolicyWindow;
  readonly freezes?: readonly { readonly name: string; readonly start: string; readonly end: string }[];
}

export interface RemediationSettings {
  readonly wavePolicy: WavePolicy;
  /** Fleet size per environment for blast-radius limits, until inventory counts are fed in. */
  readonly fleetSize: number;
  readonly cooldownSeconds: number;
  readonly environments: Readonly<Record<string, EnvironmentProfile>>;
  readonly defaultEnvironment: EnvironmentProfile;
  readonly healthCriteria: HealthCriteria;
}
