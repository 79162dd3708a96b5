import { CONTRACT_EVENT_CATALOGUE, OutboxWriter, UnitOfWork } from '@rf/platform-events';
import type { DataSource } from 'typeorm';
import type {
  InventoryTransaction,
  InventoryUnitOfWork,
} from '../../application/ports/inventory-unit-of-work.port';
import { PostgresAssetRepository } from './postgres-asset.repository';
import { PostgresScanRepository } from './postgres-scan.repository';

export const INVENTORY_EVENT_SOURCE = '/rf/inventory';

/**
 * One PostgreSQL transaction per unit of work; published events are validated against their contract
 * and written to the outbox in that same transaction.
 */
export class PostgresInventoryUnitOfWork implements InventoryUnitOfWork {
  private readonly unitOfWork: UnitOfWork;

  constructor(
    dataSource: DataSource,
    outbox = new OutboxWriter(CONTRACT_EVENT_CATALOGUE, INVENTORY_EVENT_SOURCE),
  ) {
    this.unitOfWork = new UnitOfWork(dataSource, outbox);
  }

  run<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T> {
    return this.unitOfWork.run((ctx) =>
      work({
        assets: new PostgresAssetRepository(ctx.manager),
        scans: new PostgresScanRepository(ctx.manager),
        publish: (...events) => {
          ctx.publish(...events);
        },
        flushEvents: () => ctx.flush(),
      }),
    );
  }
}
