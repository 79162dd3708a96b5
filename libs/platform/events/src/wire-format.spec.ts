import { decodeWireFormat, encodeWireFormat, WireFormatError } from './wire-format';

describe('Confluent wire format', () => {
  it('frames JSON behind a zero magic byte and a big-endian schema id', () => {
    const value = encodeWireFormat(258, { a: 'é' });
    expect([...value.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    expect(decodeWireFormat(value)).toEqual({ schemaId: 258, data: { a: 'é' } });
  });

  it.each([
    ['null', null, /shorter than the 5-byte/],
    ['a short value', Buffer.from([0, 0]), /shorter than the 5-byte/],
    ['another magic byte', Buffer.from([1, 0, 0, 0, 1, 0x7b, 0x7d]), /unknown magic byte 1/],
    [
      'a body that is not JSON',
      Buffer.concat([Buffer.from([0, 0, 0, 0, 1]), Buffer.from('{oops')]),
      /not JSON/,
    ],
  ])('rejects %s', (_name, value, message) => {
    expect(() => decodeWireFormat(value)).toThrow(WireFormatError);
    expect(() => decodeWireFormat(value)).toThrow(message);
  });
});
