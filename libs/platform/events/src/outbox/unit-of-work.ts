import type { DataSource, EntityManager } from 'typeorm';
import type { NewEvent, OutboxWriter } from './outbox-writer';

export interface UnitOfWorkContext {
  readonly manager: EntityManager;
  /** Queues events; they are written to the outbox when the work succeeds, in its transaction. */
  publish(...events: NewEvent[]): void;
}

/** A business transaction whose state changes and events commit together, or not at all. */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  run<T>(work: (ctx: UnitOfWorkContext) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const pending: NewEvent[] = [];
      const result = await work({ manager, publish: (...events) => void pending.push(...events) });
      await this.outbox.append(manager, pending);
      return result;
    });
  }
}
