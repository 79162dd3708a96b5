import { context, propagation } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventCatalogue } from '../event-catalogue.port';

export interface NewEvent<T = unknown> {
  readonly type: string;
  readonly data: T;
  readonly id?: string;
  readonly time?: Date;
  readonly correlationId?: string | null;
  readonly causationId?: string | null;
}

export class EventContractError extends Error {
  override readonly name = 'EventContractError';
  readonly retriable = false;
  constructor(
    readonly eventType: string,
    readonly problems: readonly string[],
  ) {
    super(`${eventType} does not match its contract: ${problems.join('; ')}`);
  }
}

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the
 * state change that caused it commits. Data is validated here, before anything is written.
 */
export class OutboxWriter {
  constructor(
    private readonly catalogue: EventCatalogue,
    /** CloudEvents source of this service, e.g. `/rf/drift`. */
    private readonly source: string,
  ) {}

  async append(manager: EntityManager, events: readonly NewEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside a transaction');
    }
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const rows = events.map((event) => this.toRow(event, carrier));
    const columns = [
      'event_id',
      'event_type',
      'topic',
      'aggregate_id',
      'source',
      'dataschema',
      'occurred_at',
      'data',
      'correlation_id',
      'causation_id',
      'traceparent',
      'tracestate',
    ];
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const start = params.length;
      params.push(...row);
      return `(${row.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await manager.query(`INSERT INTO outbox (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    return rows.map((row) => row[0] as string);
  }

  private toRow(event: NewEvent, carrier: Record<string, string>): unknown[] {
    const descriptor = this.catalogue.describe(event.type);
    if (!descriptor) throw new EventContractError(event.type, ['unknown event type']);
    const result = this.catalogue.validate(event.type, event.data);
    if (!result.ok) throw new EventContractError(event.type, result.errors);
    const key = (event.data as Record<string, unknown>)[descriptor.keyField];
    if (typeof key !== 'string' || key.length === 0) {
      throw new EventContractError(event.type, [`aggregate key ${descriptor.keyField} is missing`]);
    }
    const id = event.id ?? randomUUID();
    const dataschema = (descriptor.schema as { $id?: unknown }).$id;
    return [
      id,
      event.type,
      descriptor.topic,
      key,
      this.source,
      typeof dataschema === 'string' ? dataschema : null,
      (event.time ?? new Date()).toISOString(),
      JSON.stringify(event.data),
      event.correlationId ?? id,
      event.causationId ?? null,
      carrier['traceparent'] ?? null,
      carrier['tracestate'] ?? null,
    ];
  }
}
