import type { MigrationInterface } from 'typeorm';
import { CreateLedgerTables1763900000000 } from './migrations/1763900000000-create-ledger-tables';
import { IndexLedgerLeafHashes1763900100000 } from './migrations/1763900100000-index-ledger-leaf-hashes';
import { CreateLedgerDevSigningKeys1763900200000 } from './migrations/1763900200000-create-ledger-dev-signing-keys';
import { IndexLedgerAppendedAt1763900300000 } from './migrations/1763900300000-index-ledger-appended-at';
import { CreateLedgerCheckpointCosignatures1763900400000 } from './migrations/1763900400000-create-ledger-checkpoint-cosignatures';
import { IndexLedgerPayloadImageVersions1763900500000 } from './migrations/1763900500000-index-ledger-payload-image-versions';
import { LedgerEntryOrganisation1764700100000 } from './migrations/1764700100000-ledger-entry-organisation';

/** The ledger database's own migrations, applied after the platform's. */
export const LEDGER_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateLedgerTables1763900000000,
  IndexLedgerLeafHashes1763900100000,
  CreateLedgerDevSigningKeys1763900200000,
  IndexLedgerAppendedAt1763900300000,
  CreateLedgerCheckpointCosignatures1763900400000,
  IndexLedgerPayloadImageVersions1763900500000,
  LedgerEntryOrganisation1764700100000,
];
