import type { DataSource, EntityManager } from 'typeorm';
import type { NewEvent, OutboxWriter } from './outbox-writer';

export interface UnitOfWorkContext {
  readonly manager: EntityManager;
  /** Queues events; they are written to the outbox when the work succeeds, in its transaction. */
  publish(...events: NewEvent[]): void;
}

/** The context UnitOfWork.run gives its work. */
export interface OutboxTransaction extends UnitOfWorkContext {
  /**
   * Writes the events queued so far to the outbox now, still in the transaction: work that waits on
   * something before it commits can have its outbox rows written meanwhile.
   */
  flush(): Promise<void>;
}

/** A business transaction whose state changes and events commit together, or not at all. */
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  run<T>(work: (ctx: OutboxTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      let pending: NewEvent[] = [];
      const flush = async () => {
        const events = pending;
        pending = [];
        await this.outbox.append(manager, events);
      };
      const result = await work({ manager, publish: (...events) => void pending.push(...events), flush });
      await flush();
      return result;
    });
  }
}
