import { context, propagation } from '@opentelemetry/api';
import { copyRows, type CopyValue } from '@rf/platform-persistence';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ORGANISATION_ID } from '../cloud-event';
import type { EventCatalogue } from '../event-catalogue.port';

const OUTBOX_COLUMNS = [
  { name: 'event_id', type: 'uuid' },
  { name: 'event_type', type: 'text' },
  { name: 'topic', type: 'text' },
  { name: 'aggregate_id', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'dataschema', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'data', type: 'json' },
  { name: 'correlation_id', type: 'text' },
  { name: 'causation_id', type: 'text' },
  { name: 'organisation', type: 'text' },
  { name: 'traceparent', type: 'text' },
  { name: 'tracestate', type: 'text' },
] as const;

const OUTBOX_COLUMN_NAMES = OUTBOX_COLUMNS.map((c) => c.name);

// From this many events on, rows are streamed with COPY: array parameters of JSON documents cost more
// to escape in the driver and to parse in the server than the rows themselves. A scan that discovers
// a fleet appends thousands at a time; an ordinary command appends one or two.
const COPY_THRESHOLD = 256;

export interface NewEvent<T = unknown> {
  readonly type: string;
  readonly data: T;
  readonly id?: string;
  readonly time?: Date;
  readonly correlationId?: string | null;
  readonly causationId?: string | null;
  /** The organisation whose records the event concerns; inherited from the event being handled. */
  readonly organisation?: string | null;
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
    if (rows.length >= COPY_THRESHOLD) {
      await copyRows(manager, 'outbox', OUTBOX_COLUMN_NAMES, rows);
    } else {
      // One array parameter per column: a constant-size statement whatever the batch size.
      const columns = OUTBOX_COLUMNS.map((c, i) => rows.map((row) => row[i]));
      await manager.query(
        `INSERT INTO outbox (${OUTBOX_COLUMN_NAMES.join(', ')})
         SELECT * FROM unnest(${OUTBOX_COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})`,
        columns,
      );
    }
    return rows.map((row) => row[0] as string);
  }

  private toRow(event: NewEvent, carrier: Record<string, string>): CopyValue[] {
    const descriptor = this.catalogue.describe(event.type);
    if (!descriptor) throw new EventContractError(event.type, ['unknown event type']);
    const result = this.catalogue.validate(event.type, event.data);
    if (!result.ok) throw new EventContractError(event.type, result.errors);
    const field = (event.data as Record<string, unknown>)[descriptor.keyField];
    // An integer key (evidence.appended's entry index) travels as its decimal string.
    const key = Number.isSafeInteger(field) ? String(field) : field;
    if (typeof key !== 'string' || key.length === 0) {
      throw new EventContractError(event.type, [`aggregate key ${descriptor.keyField} is missing`]);
    }
    const organisation = event.organisation ?? null;
    if (organisation !== null && !ORGANISATION_ID.test(organisation)) {
      throw new EventContractError(event.type, [`organisation ${JSON.stringify(organisation)} is malformed`]);
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
      organisation,
      carrier['traceparent'] ?? null,
      carrier['tracestate'] ?? null,
    ];
  }
}
