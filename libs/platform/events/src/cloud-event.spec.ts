import { EnvelopeError, fromKafkaHeaders, toKafkaHeaders } from './cloud-event';

const envelope = {
  id: '7f1f9e0e-3c41-4a53-9d7e-2b8f0c9a1d22',
  source: '/rf/inventory',
  type: 'io.resiliencefabric.asset.discovered.v1',
  specversion: '1.0' as const,
  time: '2026-11-22T10:00:00.000Z',
  subject: 'asset-1',
  dataschema: 'https://schemas.resiliencefabric.io/events/asset.discovered.v1.json',
  correlationId: 'req-9',
  causationId: null,
  organisation: null,
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  tracestate: null,
};

describe('CloudEvents Kafka binding, binary mode', () => {
  it('round-trips the envelope through headers, omitting absent optional attributes', () => {
    const headers = toKafkaHeaders(envelope);
    expect(headers).toEqual({
      ce_id: envelope.id,
      ce_source: '/rf/inventory',
      ce_type: envelope.type,
      ce_specversion: '1.0',
      ce_time: envelope.time,
      ce_subject: 'asset-1',
      ce_dataschema: envelope.dataschema,
      ce_correlationid: 'req-9',
      'content-type': 'application/json',
      traceparent: envelope.traceparent,
    });
    const buffers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(fromKafkaHeaders(buffers)).toEqual(envelope);
  });

  it('names the missing required header', () => {
    const headers: Record<string, string> = toKafkaHeaders(envelope);
    delete headers['ce_subject'];
    expect(() => fromKafkaHeaders(headers)).toThrow(
      new EnvelopeError('missing CloudEvents header ce_subject'),
    );
  });

  it('refuses another spec version', () => {
    expect(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), ce_specversion: '0.3' })).toThrow(
      /unsupported ce_specversion 0.3/,
    );
  });
});

describe('the organisation extension attribute', () => {
  it('travels as ce_organisation and back', () => {
    const scoped = { ...envelope, organisation: 'acme' };
    const headers = toKafkaHeaders(scoped);
    expect(headers['ce_organisation']).toBe('acme');
    expect(fromKafkaHeaders(headers)).toEqual(scoped);
  });

  it('refuses a malformed organisation', () => {
    expect(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), ce_organisation: 'a b/../c' })).toThrow(
      /malformed ce_organisation "a b\/..\/c"/,
    );
  });
});
