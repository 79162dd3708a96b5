import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import { type CloudEvent, fromKafkaHeaders } from '../cloud-event';
import type { EventCatalogue } from '../event-catalogue.port';
import type { SchemaDirectory } from '../schema-directory';
import { decodeWireFormat } from '../wire-format';
import { deadLetterMessage, dlqTopicOf } from './dead-letter';

/** Handles one event inside the inbox transaction; its writes commit together with the dedup record. */
export type InboxHandler = (event: CloudEvent, manager: EntityManager) => Promise<void>;

export interface InboxSettings {
  /** Consumer name: the Kafka group id and the inbox dedup namespace. */
  readonly consumer: string;
  readonly topics: readonly string[];
  readonly maxAttempts: number;
  readonly backoffMs: readonly number[];
  readonly fromBeginning: boolean;
  /** Partitions handled at once; order within a partition is kept either way. */
  readonly partitionsConcurrently: number;
  /** Called after each transaction that applied events commits, before their offsets are committed. */
  readonly onApplied?: (events: readonly CloudEvent[]) => void;
}

export const DEFAULT_INBOX_RETRY = {
  maxAttempts: 5,
  backoffMs: [100, 250, 500, 1_000, 2_000],
  partitionsConcurrently: 3,
} as const;

/** Error codes of records that can never be handled, as written to `rf_dlq_error_code`. */
export const POISON_CODES = {
  badEnvelope: 'EVENTS.BAD_ENVELOPE',
  badWireFormat: 'EVENTS.BAD_WIRE_FORMAT',
  unknownType: 'EVENTS.UNKNOWN_TYPE',
  unknownSchemaId: 'EVENTS.UNKNOWN_SCHEMA_ID',
  schemaViolation: 'EVENTS.SCHEMA_VIOLATION',
  handlerFailed: 'EVENTS.HANDLER_FAILED',
} as const;

class PoisonMessage extends Error {
  override readonly name = 'PoisonMessage';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Decoded =
  { kind: 'event'; message: KafkaMessage; event: CloudEvent } | { kind: 'skip'; message: KafkaMessage };

const tracer = trace.getTracer('rf-inbox');

/**
 * At-least-once delivery from Kafka, exactly-once effects: each event's id is recorded in the inbox
 * in the same transaction as the handler's writes, so a redelivered event is recognised and skipped.
 * Messages that cannot be decoded, or that keep failing, go to `<topic>.dlq` with the reason.
 */
export class InboxConsumer {
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private readonly handled: Counter;
  private readonly deadLettered: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly catalogue: EventCatalogue,
    private readonly schemas: SchemaDirectory,
    private readonly handlers: ReadonlyMap<string, InboxHandler>,
    private readonly settings: InboxSettings,
    metrics: Registry,
  ) {
    this.handled = new Counter({
      name: 'rf_inbox_handled_total',
      help: 'Events handled by inbox consumers',
      labelNames: ['consumer', 'outcome'] as const,
      registers: [metrics],
    });
    this.deadLettered = new Counter({
      name: 'rf_inbox_dead_lettered_total',
      help: 'Messages sent to a DLQ',
      labelNames: ['consumer', 'topic'] as const,
      registers: [metrics],
    });
  }

  async start(): Promise<void> {
    this.dlqProducer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.dlqProducer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.settings.consumer, allowAutoTopicCreation: false });
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.settings.topics],
      fromBeginning: this.settings.fromBeginning,
    });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
    this.consumer = null;
    this.dlqProducer = null;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    let chunk: Extract<Decoded, { kind: 'event' }>[] = [];
    const flush = async () => {
      const last = chunk.at(-1);
      if (!last) return;
      await this.handleChunk(batch.topic, batch.partition, chunk);
      payload.resolveOffset(last.message.offset);
      chunk = [];
      await payload.heartbeat();
    };
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      let decoded: Decoded;
      try {
        decoded = await this.decode(message);
      } catch (error: unknown) {
        await flush();
        if (!(error instanceof PoisonMessage)) throw error; // registry unreachable: retry the batch later
        await this.deadLetter(batch.topic, batch.partition, message, error.message, error.code, 1);
        payload.resolveOffset(message.offset);
        continue;
      }
      if (decoded.kind === 'skip') {
        await flush();
        payload.resolveOffset(message.offset);
        continue;
      }
      chunk.push(decoded);
    }
    await flush();
  }

  /** One transaction for the whole chunk; on any failure, fall back to one event at a time. */
  private async handleChunk(
    topic: string,
    partition: number,
    chunk: readonly Extract<Decoded, { kind: 'event' }>[],
  ): Promise<void> {
    try {
      await this.dataSource.transaction((manager) => this.applyAll(manager, topic, partition, chunk));
      this.settings.onApplied?.(chunk.map((c) => c.event));
      return;
    } catch {
      // isolate the failing event below
    }
    for (const item of chunk) await this.handleOne(topic, partition, item);
  }

  private async handleOne(
    topic: string,
    partition: number,
    item: Extract<Decoded, { kind: 'event' }>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dataSource.transaction((manager) => this.applyAll(manager, topic, partition, [item]));
        this.settings.onApplied?.([item.event]);
        return;
      } catch (error: unknown) {
        const retriable = (error as { retriable?: unknown }).retriable !== false;
        if (!retriable || attempt >= this.settings.maxAttempts) {
          this.handled.inc({ consumer: this.settings.consumer, outcome: 'failed' });
          await this.deadLetter(topic, partition, item.message, describe(error), errorCodeOf(error), attempt);
          return;
        }
        await delay(this.settings.backoffMs[attempt - 1] ?? this.settings.backoffMs.at(-1) ?? 1_000);
      }
    }
  }

  private async applyAll(
    manager: EntityManager,
    topic: string,
    partition: number,
    items: readonly Extract<Decoded, { kind: 'event' }>[],
  ): Promise<void> {
    const fresh = new Set(
      (
        await manager.query<{ event_id: string }[]>(
          `INSERT INTO inbox (consumer, event_id, event_type, topic, partition, "offset")
           SELECT $1, e.id, e.type, $2, $3, e.off
             FROM unnest($4::uuid[], $5::text[], $6::bigint[]) AS e(id, type, off)
           ON CONFLICT DO NOTHING
           RETURNING event_id`,
          [
            this.settings.consumer,
            topic,
            partition,
            items.map((i) => i.event.id),
            items.map((i) => i.event.type),
            items.map((i) => i.message.offset),
          ],
        )
      ).map((r) => r.event_id),
    );
    for (const { event } of items) {
      if (!fresh.has(event.id)) {
        this.handled.inc({ consumer: this.settings.consumer, outcome: 'duplicate' });
        continue;
      }
      fresh.delete(event.id); // a second copy inside the same batch is a duplicate too
      const handler = this.handlers.get(event.type);
      if (!handler) continue;
      const parent = propagation.extract(ROOT_CONTEXT, {
        traceparent: event.traceparent ?? undefined,
        tracestate: event.tracestate ?? undefined,
      });
      await tracer.startActiveSpan(
        `${event.type} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
        },
        parent,
        async (span) => {
          try {
            await handler(event, manager);
          } finally {
            span.end();
          }
        },
      );
      this.handled.inc({ consumer: this.settings.consumer, outcome: 'handled' });
    }
  }

  private async decode(message: KafkaMessage): Promise<Decoded> {
    let envelope: ReturnType<typeof fromKafkaHeaders>;
    let payload: ReturnType<typeof decodeWireFormat>;
    try {
      envelope = fromKafkaHeaders(message.headers ?? {});
    } catch (error: unknown) {
      throw new PoisonMessage(POISON_CODES.badEnvelope, describe(error));
    }
    try {
      payload = decodeWireFormat(message.value);
    } catch (error: unknown) {
      throw new PoisonMessage(POISON_CODES.badWireFormat, describe(error));
    }
    if (!this.handlers.has(envelope.type)) return { kind: 'skip', message };
    if (!this.catalogue.describe(envelope.type)) {
      throw new PoisonMessage(POISON_CODES.unknownType, `unknown event type ${envelope.type}`);
    }
    if (!(await this.schemas.exists(payload.schemaId))) {
      throw new PoisonMessage(POISON_CODES.unknownSchemaId, `unknown schema id ${payload.schemaId}`);
    }
    const result = this.catalogue.validate(envelope.type, payload.data);
    if (!result.ok) {
      throw new PoisonMessage(POISON_CODES.schemaViolation, `${envelope.type}: ${result.errors.join('; ')}`);
    }
    return { kind: 'event', message, event: { ...envelope, data: payload.data } };
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: string,
    errorCode: string,
    attempts: number,
  ): Promise<void> {
    if (!this.dlqProducer) throw new Error('inbox consumer is not started');
    await this.dlqProducer.send({
      topic: dlqTopicOf(topic),
      acks: -1,
      messages: [
        deadLetterMessage({
          consumer: this.settings.consumer,
          topic,
          partition,
          message,
          reason,
          errorCode,
          attempts,
        }),
      ],
    });
    this.deadLettered.inc({ consumer: this.settings.consumer, topic });
  }
}

/** A handler error's own namespaced code (AppError), or the generic one. */
function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)+$/.test(code)
    ? code
    : POISON_CODES.handlerFailed;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
