import type { MigrationInterface } from 'typeorm';
import { CreateDriftEngineTables1764200000000 } from './migrations/1764200000000-create-drift-engine-tables';
import { CreateDriftRemediationTargets1764300000001 } from './migrations/1764300000001-create-drift-remediation-targets';
import { DriftPerOrganisation1764600000001 } from './migrations/1764600000001-drift-per-organisation';

/** The drift engine's migrations, applied after the platform's. */
export const DRIFT_ENGINE_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateDriftEngineTables1764200000000,
  CreateDriftRemediationTargets1764300000001,
  DriftPerOrganisation1764600000001,
];
