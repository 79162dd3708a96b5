import type { MigrationInterface } from 'typeorm';
import { CreateComplianceTables1764000000000 } from './migrations/1764000000000-create-compliance-tables';
import { ScopeComplianceByOrganisation1764500000010 } from './migrations/1764500000010-scope-compliance-by-organisation';

/** The compliance database's own migrations, applied after the platform's. */
export const COMPLIANCE_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateComplianceTables1764000000000,
  ScopeComplianceByOrganisation1764500000010,
];
