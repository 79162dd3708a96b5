import type { MigrationInterface } from 'typeorm';
import { CreateLedgerTables1763900000000 } from './migrations/1763900000000-create-ledger-tables';

/** The ledger database's own migrations, applied after the platform's. */
export const LEDGER_MIGRATIONS: readonly (new () => MigrationInterface)[] = [CreateLedgerTables1763900000000];
