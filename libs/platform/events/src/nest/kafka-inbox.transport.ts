import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { EventCatalogue } from '../event-catalogue.port';
import { DEFAULT_INBOX_RETRY, InboxConsumer, type InboxHandler } from '../inbox/inbox-consumer';
import type { OutboxWriter } from '../outbox/outbox-writer';
import type { SchemaDirectory } from '../schema-directory';
import { InboxContext } from './inbox.context';

export interface KafkaInboxTransportOptions {
  readonly consumer: string;
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  readonly catalogue: EventCatalogue;
  readonly schemas: SchemaDirectory;
  readonly outbox: OutboxWriter;
  readonly metrics: Registry;
  readonly fromBeginning?: boolean;
}

/**
 * A Nest microservice transport over the inbox: `@EventPattern('io.resiliencefabric.asset.discovered.v1')`
 * methods receive the typed data, and through `@Ctx()` an InboxContext with the transaction. The
 * topics to subscribe follow from the patterns, through the contract catalogue.
 */
export class KafkaInboxTransport extends Server implements CustomTransportStrategy {
  private inbox: InboxConsumer | null = null;

  constructor(private readonly options: KafkaInboxTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const handlers = new Map<string, InboxHandler>();
      const topics = new Set<string>();
      for (const [pattern, handler] of this.messageHandlers) {
        const descriptor = this.options.catalogue.describe(pattern);
        if (!descriptor) throw new Error(`@EventPattern('${pattern}') names no event type in the contracts`);
        topics.add(descriptor.topic);
        handlers.set(pattern, async (event, manager) => {
          const publish = (events: Parameters<OutboxWriter['append']>[1]) =>
            this.options.outbox.append(manager, events).then(() => undefined);
          const result: unknown = await handler(event.data, new InboxContext([event, manager, publish]));
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
        });
      }
      this.inbox = new InboxConsumer(
        this.options.dataSource,
        this.options.kafka,
        this.options.catalogue,
        this.options.schemas,
        handlers,
        {
          consumer: this.options.consumer,
          topics: [...topics],
          fromBeginning: this.options.fromBeginning ?? true,
          ...DEFAULT_INBOX_RETRY,
        },
        this.options.metrics,
      );
      if (topics.size > 0) await this.inbox.start();
      callback();
    } catch (error: unknown) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.inbox?.stop();
    this.inbox = null;
  }

  on(): never {
    throw new Error('KafkaInboxTransport has no transport events to listen to');
  }

  // Server's signature; the value is always the InboxConsumer.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  unwrap<T>(): T {
    if (!this.inbox) throw new Error('KafkaInboxTransport is not listening');
    return this.inbox as T;
  }
}
