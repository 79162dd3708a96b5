import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson, MAX_INPUT_DEPTH } from './canonical-json.encoder';
import { PolicyError } from './policy.error';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts members at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: 'x' })).toBe('{"a":"x","b":[3,{"a":2,"z":1}]}');
  });

  it('sorts keys by UTF-16 code units, not code points', () => {
    // U+1F600 is stored as the surrogates D83D DE00, so it sorts before U+FB33 (RFC 8785 §3.2.3).
    const value = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '\u{1f600}': 4, '1': 5, a: 6 };
    expect(canonicalJson(value)).toBe('{"\\r":2,"1":5,"a":6,"\u20ac":1,"\u{1f600}":4,"\ufb33":3}');
  });

  it('serialises numbers and strings as ECMAScript does', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1, -0, 100, 2.5e-5])).toBe('[1e+21,1e-7,0.1,0,100,0.000025]');
    expect(canonicalJson('\u0007"\\\n\u00e9')).toBe('"\\u0007\\"\\\\\\n\u00e9"');
  });

  it('leaves out undefined members and honours toJSON', () => {
    expect(canonicalJson({ a: undefined, at: new Date('2025-11-22T09:06:01Z') })).toBe(
      '{"at":"2025-11-22T09:06:01.000Z"}',
    );
  });

  it.each([
    ['NaN', { n: Number.NaN }],
    ['Infinity', [Number.POSITIVE_INFINITY]],
    ['a bigint', { n: 1n }],
    ['a function', { f: () => 1 }],
    ['undefined', undefined],
    ['a symbol', [Symbol('s')]],
  ])('refuses %s', (_, value) => {
    expect(() => canonicalJson(value)).toThrow(PolicyError);
  });

  it('refuses a cycle but accepts shared references', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('policy input is not JSON at $.self: circular reference');
  });

  it('refuses inputs nested deeper than MAX_INPUT_DEPTH', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) deep = [deep];
    expect(() => canonicalJson([deep])).toThrow(`nested deeper than ${MAX_INPUT_DEPTH}`);
    expect(() => canonicalJson(deep)).not.toThrow();
  });

  it('hashes the canonical text, so member order does not matter', () => {
    const expected = createHash('sha256').update('{"a":1,"b":[true,null]}').digest('hex');
    expect(canonicalHash({ b: [true, null], a: 1 })).toBe(expected);
    expect(canonicalHash({ a: 1, b: [true, null] })).toBe(expected);
  });
});
