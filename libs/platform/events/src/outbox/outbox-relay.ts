import { propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Kafka, Message, Producer } from 'kafkajs';
import { Client } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { toKafkaHeaders } from '../cloud-event';
import type { SchemaIdResolver } from '../schema-id.resolver';
import { encodeWireFormat } from '../wire-format';

export interface OutboxRelaySettings {
  readonly databaseUrl: string;
  readonly batchSize: number;
  /** Upper bound on the wait for new rows; inserts wake the relay earlier through LISTEN/NOTIFY. */
  readonly idleWaitMs: number;
  /** Published rows are kept this long, then deleted; 0 deletes them as they are published. */
  readonly retentionMs: number;
  readonly lanes: number;
  /** At most this many lanes per relay, so relays in one process or replica share the work. */
  readonly maxLanes?: number;
}

export const DEFAULT_RELAY_SETTINGS: Omit<OutboxRelaySettings, 'databaseUrl'> = {
  batchSize: 1_000,
  idleWaitMs: 500,
  retentionMs: 24 * 3600_000,
  lanes: 16,
};

const LANE_LOCK_CLASS = 0x0b0c; // advisory-lock namespace of outbox lanes
const RETRY_BACKOFF_MS = [100, 250, 500, 1_000, 2_000, 5_000] as const;
const RETENTION_SWEEP_MS = 60_000;
const tracer = trace.getTracer('rf-outbox');
/**
 * A produce request's records for one partition form one batch, which the broker refuses above its
 * message.max.bytes (1 MiB by default): a claimed batch is sent as requests of at most this size.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** Key, value and headers: what a record costs in a batch, give or take its framing. */
function approximateSize(message: Message): number {
  let bytes = 64 + (message.key?.length ?? 0) + (message.value?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += name.length + (typeof value === 'string' || Buffer.isBuffer(value) ? value.length : 0);
  }
  return bytes;
}

interface OutboxRow {
  id: string;
  event_id: string;
  event_type: string;
  topic: string;
  aggregate_id: string;
  source: string;
  dataschema: string | null;
  occurred_at: Date;
  /** The data as JSON text: relayed as is, never parsed and re-serialised. */
  data: string;
  correlation_id: string;
  causation_id: string | null;
  organisation: string | null;
  traceparent: string | null;
  tracestate: string | null;
}

/**
 * Publishes committed outbox rows to Kafka. Aggregates are hashed into lanes; a relay owns a lane
 * through a session advisory lock, so several relays can run together while each aggregate is
 * published by one relay, in id order, through one idempotent producer. A relay that dies drops its
 * locks with its session and another takes the lanes over.
 */
export class OutboxRelay {
  private readonly ownedLanes = new Set<number>();
  private session: Client | null = null;
  private producer: Producer | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;
  private lastSweep = 0;
  private readonly published: Counter;
  private readonly errors: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly schemaIds: SchemaIdResolver,
    private readonly settings: OutboxRelaySettings,
    metrics: Registry,
  ) {
    this.published = counter(metrics, 'rf_outbox_published_total', 'Outbox events published to Kafka');
    this.errors = counter(metrics, 'rf_outbox_publish_errors_total', 'Failed outbox publish attempts');
    gauge(metrics, 'rf_outbox_pending_rows', 'Outbox rows not yet published', async () =>
      Number(
        (
          await this.dataSource.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
          )
        )[0]?.n ?? 0,
      ),
    );
    gauge(
      metrics,
      'rf_outbox_oldest_pending_age_seconds',
      'Age of the oldest unpublished outbox row',
      async () => {
        const [row] = await this.dataSource.query<{ age: number | null }[]>(
          `SELECT extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age FROM outbox WHERE published_at IS NULL`,
        );
        return row?.age ?? 0;
      },
    );
  }

  get lanes(): readonly number[] {
    return [...this.ownedLanes].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.session = new Client({
      connectionString: this.settings.databaseUrl,
      application_name: 'rf-outbox-relay',
    });
    await this.session.connect();
    this.session.on('notification', () => this.wake?.());
    await this.session.query('LISTEN rf_outbox');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
    // Closing the session releases the lane locks for the other relays.
    await this.session?.end().catch(() => undefined);
    this.session = null;
    this.ownedLanes.clear();
  }

  /** Publishes one batch from the owned lanes; returns how many rows it published. */
  async relayBatch(): Promise<number> {
    await this.claimFreeLanes();
    if (this.ownedLanes.size === 0) return 0;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let rows: OutboxRow[] = [];
    try {
      rows = (await runner.query(
        `SELECT id, event_id, event_type, topic, aggregate_id, source, dataschema, occurred_at, data::text AS data,
                correlation_id, causation_id, organisation, traceparent, tracestate
           FROM outbox
          WHERE published_at IS NULL AND lane = ANY($1)
          ORDER BY id
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [this.lanes, this.settings.batchSize],
      )) as OutboxRow[];
      if (rows.length > 0) {
        await this.publish(rows);
        const ids = rows.map((r) => r.id);
        // With no retention a published row has no further use: deleting it is cheaper than marking it.
        await runner.query(
          this.settings.retentionMs === 0
            ? `DELETE FROM outbox WHERE id = ANY($1)`
            : `UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL
                WHERE id = ANY($1)`,
          [ids],
        );
      }
      await runner.commitTransaction();
      return rows.length;
    } catch (error: unknown) {
      await runner.rollbackTransaction().catch(() => undefined);
      await this.recordFailure(rows, error);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.relayBatch();
        this.failures = 0;
        await this.sweepRetention();
      } catch {
        this.failures += 1;
        await this.sleep(RETRY_BACKOFF_MS[Math.min(this.failures, RETRY_BACKOFF_MS.length) - 1] ?? 5_000);
        continue;
      }
      if (published < this.settings.batchSize) await this.sleep(this.settings.idleWaitMs);
    }
  }

  private async publish(rows: readonly OutboxRow[]): Promise<void> {
    const requests: Map<string, Message[]>[] = [];
    let byTopic = new Map<string, Message[]>();
    let requestBytes = 0;
    const spans: Span[] = [];
    for (const row of rows) {
      const schemaId = await this.schemaIds.resolve(row.event_type);
      // A PRODUCER span continues the trace of the transaction that wrote the row; the consumer
      // continues from it, so one trace runs from the request to the handler.
      const span = tracer.startSpan(
        `${row.event_type} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': row.topic },
        },
        propagation.extract(ROOT_CONTEXT, {
          traceparent: row.traceparent ?? undefined,
          tracestate: row.tracestate ?? undefined,
        }),
      );
      spans.push(span);
      const carrier: Record<string, string> = {};
      propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
      const message: Message = {
        key: row.aggregate_id,
        value: encodeWireFormat(schemaId, row.data, true),
        headers: toKafkaHeaders({
          id: row.event_id,
          source: row.source,
          type: row.event_type,
          specversion: '1.0',
          time: row.occurred_at.toISOString(),
          subject: row.aggregate_id,
          dataschema: row.dataschema,
          correlationId: row.correlation_id,
          causationId: row.causation_id,
          organisation: row.organisation,
          traceparent: carrier['traceparent'] ?? row.traceparent,
          tracestate: carrier['tracestate'] ?? row.tracestate,
        }),
      };
      const bytes = approximateSize(message);
      if (requestBytes > 0 && requestBytes + bytes > MAX_REQUEST_BYTES) {
        requests.push(byTopic);
        byTopic = new Map();
        requestBytes = 0;
      }
      requestBytes += bytes;
      const list = byTopic.get(row.topic) ?? [];
      list.push(message);
      byTopic.set(row.topic, list);
    }
    requests.push(byTopic);
    const producer = await this.connectedProducer();
    try {
      // One request after the other, so rows of one aggregate still reach their partition in order.
      for (const request of requests) {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...request].map(([topic, messages]) => ({ topic, messages })),
        });
      }
    } catch (error: unknown) {
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR }).end();
      // The outcome of a failed send is unknown (it may have been written); a fresh producer gets a
      // fresh producer id and sequence, so the retry cannot be rejected as out of sequence.
      this.producer = null;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    for (const span of spans) span.end();
    this.published.inc(rows.length);
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async claimFreeLanes(): Promise<void> {
    const wanted = Math.min(this.settings.lanes, this.settings.maxLanes ?? this.settings.lanes);
    if (!this.session || this.ownedLanes.size >= wanted) return;
    for (let lane = 0; lane < this.settings.lanes && this.ownedLanes.size < wanted; lane++) {
      if (this.ownedLanes.has(lane)) continue;
      const { rows } = await this.session.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [LANE_LOCK_CLASS, lane],
      );
      if (rows[0]?.locked) this.ownedLanes.add(lane);
    }
  }

  private async recordFailure(rows: readonly OutboxRow[], error: unknown): Promise<void> {
    this.errors.inc();
    if (rows.length === 0) return;
    const reason = error instanceof Error ? error.message : String(error);
    await this.dataSource
      .query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [
        rows.map((r) => r.id),
        reason.slice(0, 2_000),
      ])
      .catch(() => undefined);
  }

  private async sweepRetention(): Promise<void> {
    if (Date.now() - this.lastSweep < RETENTION_SWEEP_MS) return;
    this.lastSweep = Date.now();
    await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at < clock_timestamp() - make_interval(secs => $1)`,
      [this.settings.retentionMs / 1_000],
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

function counter(registry: Registry, name: string, help: string): Counter {
  const existing = registry.getSingleMetric(name);
  return (existing as Counter | undefined) ?? new Counter({ name, help, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, read: () => Promise<number>): void {
  if (registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      this.set(await read().catch(() => Number.NaN));
    },
  });
}
