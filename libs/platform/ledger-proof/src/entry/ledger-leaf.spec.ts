import { canonicalJson } from '../canonical-json/canonical-json';
import { decodeLeaf, encodeLeaf, type LeafContent, payloadHashOf, payloadRefFor } from './ledger-leaf';

describe('ledger leaves', () => {
  const payload = { assetId: 'a-1', score: 0.5, tags: { b: 2, a: 1 } };
  const content: LeafContent = {
    eventId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    type: 'io.resiliencefabric.drift.detected.v1',
    subject: 'asset/a-1',
    time: '2025-11-22T08:15:41Z',
    payloadHash: payloadHashOf(payload),
    payloadRef: payloadRefFor('5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a'),
  };

  it('hashes the payload canonically, whatever its key order', () => {
    expect(payloadHashOf({ tags: { a: 1, b: 2 }, score: 0.5, assetId: 'a-1' })).toBe(content.payloadHash);
    expect(content.payloadHash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('encodes the six fields as canonical JSON and decodes them back', () => {
    const leaf = encodeLeaf(content);
    expect(leaf.toString('utf8')).toBe(
      `{"eventId":"${content.eventId}","payloadHash":"${content.payloadHash}","payloadRef":"payloads/${content.eventId}",` +
        `"subject":"asset/a-1","time":"2025-11-22T08:15:41Z","type":"io.resiliencefabric.drift.detected.v1"}`,
    );
    expect(decodeLeaf(leaf)).toEqual(content);
    expect(decodeLeaf(encodeLeaf({ ...content, subject: null })).subject).toBeNull();
  });

  it('binds the organisation into the leaf only when there is one, so leaves without one hash as before', () => {
    const plain = encodeLeaf(content);
    expect(encodeLeaf({ ...content })).toEqual(plain);
    const tenant = encodeLeaf({ ...content, organisation: 'acme' });
    expect(tenant.toString('utf8')).toBe(
      `{"eventId":"${content.eventId}","organisation":"acme","payloadHash":"${content.payloadHash}",` +
        `"payloadRef":"payloads/${content.eventId}","subject":"asset/a-1","time":"2025-11-22T08:15:41Z",` +
        `"type":"io.resiliencefabric.drift.detected.v1"}`,
    );
    expect(decodeLeaf(tenant)).toEqual({ ...content, organisation: 'acme' });
    expect(decodeLeaf(plain)).not.toHaveProperty('organisation');
    expect(encodeLeaf({ ...content, organisation: 'globex' }).equals(tenant)).toBe(false);
    expect(() => encodeLeaf({ ...content, organisation: 'not an org' })).toThrow('organisation');
    expect(() => decodeLeaf(Buffer.from(canonicalJson({ ...content, organisation: 7 })))).toThrow(
      'field types',
    );
  });

  it('refuses leaves that are not exactly canonical', () => {
    const pretty = Buffer.from(JSON.stringify(content, null, 1));
    expect(() => decodeLeaf(pretty)).toThrow('not in canonical form');
    expect(() => decodeLeaf(Buffer.from(canonicalJson({ ...content, extra: 1 })))).toThrow('fields');
    expect(() => decodeLeaf(Buffer.from('{"eventId"'))).toThrow('not JSON');
    expect(() => decodeLeaf(Buffer.from('[1]'))).toThrow('not a JSON object');
    expect(() => encodeLeaf({ ...content, payloadHash: 'md5:00' })).toThrow('payloadHash');
    expect(() => encodeLeaf({ ...content, time: 'yesterday' })).toThrow('not a date-time');
    expect(() => encodeLeaf({ ...content, eventId: '' })).toThrow('empty eventId');
  });
});
