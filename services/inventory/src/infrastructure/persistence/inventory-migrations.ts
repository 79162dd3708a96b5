import type { MigrationInterface } from 'typeorm';
import { CreateInventoryTables1764000000000 } from './migrations/1764000000000-create-inventory-tables';
import { CreateConnectorConfigurations1764000100000 } from './migrations/1764000100000-create-connector-configurations';
import { DeriveAssetEdges1764000200000 } from './migrations/1764000200000-derive-asset-edges';
import { RecordSkippedScans1764000300000 } from './migrations/1764000300000-record-skipped-scans';
import { ScopeInventoryByOrganisation1764500000000 } from './migrations/1764500000000-scope-inventory-by-organisation';

/** The inventory database's own migrations, applied after the platform's and the event backbone's. */
export const INVENTORY_MIGRATIONS: readonly (new () => MigrationInterface)[] = [
  CreateInventoryTables1764000000000,
  CreateConnectorConfigurations1764000100000,
  DeriveAssetEdges1764000200000,
  RecordSkippedScans1764000300000,
  ScopeInventoryByOrganisation1764500000000,
];
