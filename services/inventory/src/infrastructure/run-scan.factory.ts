import type { DataSource } from 'typeorm';
import { DEFAULT_RUN_SCAN_SETTINGS, RunScanHandler } from '../application/commands/run-scan/run-scan.handler';
import type { Clock } from '../application/ports/clock.port';
import {
  DEFAULT_MISSED_SCANS_BEFORE_REMOVAL,
  RemovalPolicy,
} from '../domain/change-detection/removal.policy';
import { PostgresInventoryUnitOfWork } from './persistence/postgres-inventory.unit-of-work';
import { PostgresScanLock } from './persistence/postgres-scan.lock';

export interface RunScanWiring {
  /** K: consecutive missed scans that remove an asset. */
  readonly missedScansBeforeRemoval?: number;
  readonly chunkSize?: number;
  readonly clock?: Clock;
}

/** The scan use case on PostgreSQL: outbox unit of work, advisory scan lock, removal policy. */
export function createRunScanHandler(dataSource: DataSource, wiring: RunScanWiring = {}): RunScanHandler {
  return new RunScanHandler(
    new PostgresInventoryUnitOfWork(dataSource),
    new PostgresScanLock(dataSource),
    wiring.clock ?? { now: () => new Date() },
    new RemovalPolicy(wiring.missedScansBeforeRemoval ?? DEFAULT_MISSED_SCANS_BEFORE_REMOVAL),
    {
      ...DEFAULT_RUN_SCAN_SETTINGS,
      ...(wiring.chunkSize === undefined ? {} : { chunkSize: wiring.chunkSize }),
    },
  );
}
