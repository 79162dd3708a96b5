/** A CloudEvents 1.0 event as the platform carries it: the envelope plus typed data. */
export interface CloudEvent<T = unknown> {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly specversion: '1.0';
  readonly time: string;
  /** The aggregate id; always equal to the Kafka key. */
  readonly subject: string;
  readonly dataschema: string | null;
  readonly data: T;
  readonly correlationId: string;
  readonly causationId: string | null;
  /**
   * The organisation (tenant) the event's records belong to; the `organisation` extension attribute.
   * Null for platform-wide facts such as a policy bundle being loaded.
   */
  readonly organisation: string | null;
  readonly traceparent: string | null;
  readonly tracestate: string | null;
}

/** Header names of the CloudEvents Kafka protocol binding in binary mode, plus the platform's own. */
export const CE_HEADERS = {
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  organisation: 'ce_organisation',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** An organisation id as principals carry it (`rf_org`). */
export const ORGANISATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/u;

/**
 * The organisation of records written before organisations were recorded, and of an event about
 * tenant records that arrives without `ce_organisation`.
 */
export const DEFAULT_ORGANISATION = 'default';

export type KafkaHeaders = Record<string, string>;

export function toKafkaHeaders(event: Omit<CloudEvent, 'data'>): KafkaHeaders {
  const headers: KafkaHeaders = {
    [CE_HEADERS.id]: event.id,
    [CE_HEADERS.source]: event.source,
    [CE_HEADERS.type]: event.type,
    [CE_HEADERS.specversion]: event.specversion,
    [CE_HEADERS.time]: event.time,
    [CE_HEADERS.subject]: event.subject,
    [CE_HEADERS.correlationId]: event.correlationId,
    [CE_HEADERS.contentType]: 'application/json',
  };
  if (event.dataschema) headers[CE_HEADERS.dataschema] = event.dataschema;
  if (event.causationId) headers[CE_HEADERS.causationId] = event.causationId;
  if (event.organisation) headers[CE_HEADERS.organisation] = event.organisation;
  if (event.traceparent) headers[CE_HEADERS.traceparent] = event.traceparent;
  if (event.tracestate) headers[CE_HEADERS.tracestate] = event.tracestate;
  return headers;
}

export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

/** Reads the envelope from Kafka headers; a missing required attribute is an EnvelopeError. */
export function fromKafkaHeaders(raw: Record<string, Buffer | string | (Buffer | string)[] | undefined>) {
  const get = (name: string): string | null => {
    const value = raw[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? null : first.toString();
  };
  const required = (name: string): string => {
    const value = get(name);
    if (!value) throw new EnvelopeError(`missing CloudEvents header ${name}`);
    return value;
  };
  const specversion = required(CE_HEADERS.specversion);
  const organisation = get(CE_HEADERS.organisation);
  if (organisation !== null && !ORGANISATION_ID.test(organisation)) {
    throw new EnvelopeError(
      `malformed ${CE_HEADERS.organisation} ${JSON.stringify(organisation.slice(0, 80))}`,
    );
  }
  if (specversion !== '1.0') throw new EnvelopeError(`unsupported ce_specversion ${specversion}`);
  return {
    id: required(CE_HEADERS.id),
    source: required(CE_HEADERS.source),
    type: required(CE_HEADERS.type),
    specversion: '1.0' as const,
    time: required(CE_HEADERS.time),
    subject: required(CE_HEADERS.subject),
    dataschema: get(CE_HEADERS.dataschema),
    correlationId: required(CE_HEADERS.correlationId),
    causationId: get(CE_HEADERS.causationId),
    organisation,
    traceparent: get(CE_HEADERS.traceparent),
    tracestate: get(CE_HEADERS.tracestate),
  };
}
