import type { MigrationInterface } from 'typeorm';
import { CreateRemediationTables1764000000000 } from './migrations/1764000000000-create-remediation-tables';
import { CreateExecutorTables1764000100000 } from './migrations/1764000100000-create-executor-tables';
import { CreateAwsSsmCommands1764000200000 } from './migrations/1764000200000-create-aws-ssm-commands';
import { CreateExecutorOperations1764000300000 } from './migrations/1764000300000-create-executor-operations';
import { CreateDriftBatches1764000500000 } from './migrations/1764000500000-create-drift-batches';
import { CreateCloudGroupRollouts1764000510000 } from './migrations/1764000510000-create-cloud-group-rollouts';
import { RemediationOrganisation1764700000000 } from './migrations/1764700000000-remediation-organisation';

/** The remediation database's own migrations, applied after the platform's. */
export const REMEDIATION_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateRemediationTables1764000000000,
  CreateExecutorTables1764000100000,
  CreateAwsSsmCommands1764000200000,
  CreateExecutorOperations1764000300000,
  CreateDriftBatches1764000500000,
  CreateCloudGroupRollouts1764000510000,
  RemediationOrganisation1764700000000,
];
