import { BaseRpcContext } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import type { CloudEvent } from '../cloud-event';
import type { NewEvent } from '../outbox/outbox-writer';

type InboxContextArgs = [CloudEvent, EntityManager, (events: readonly NewEvent[]) => Promise<void>];

/**
 * What an `@EventPattern` handler gets through `@Ctx()`: the envelope, the transaction its writes
 * must use, and a publisher whose events commit in that same transaction.
 */
export class InboxContext extends BaseRpcContext<InboxContextArgs> {
  get event(): CloudEvent {
    return this.args[0];
  }

  get manager(): EntityManager {
    return this.args[1];
  }

  /**
   * Publishes follow-up events, caused by this one, through the outbox in the same transaction.
   * They stay in the cause's organisation unless they name their own.
   */
  publish(events: readonly NewEvent[]): Promise<void> {
    const cause = this.event;
    return this.args[2](
      events.map((e) => ({
        correlationId: cause.correlationId,
        causationId: cause.id,
        organisation: cause.organisation,
        ...e,
      })),
    );
  }
}
