import type { InventoryEvent } from '../events/inventory-events';
import type { AssetRepository } from './asset.repository.port';
import type { ScanRepository } from './scan.repository.port';

export interface InventoryTransaction {
  readonly assets: AssetRepository;
  readonly scans: ScanRepository;
  /** Queues events for the outbox; they commit with the transaction's state changes, or not at all. */
  publish(...events: InventoryEvent[]): void;
  /** Writes the events queued so far to the outbox now, in the transaction. */
  flushEvents(): Promise<void>;
}

/** Runs work in one database transaction whose events go through the transactional outbox. */
export interface InventoryUnitOfWork {
  run<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T>;
}
