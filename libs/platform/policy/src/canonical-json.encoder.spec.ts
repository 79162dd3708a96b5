import { createHash } from 'node:crypto';
import { canonicalHash, canonicalJson, MAX_INPUT_DEPTH } from './canonical-json.encoder';
import { PolicyError } from './policy.error';

describe('canonicalJson of a policy input (RFC 8785)', () => {
  it('reads inputs as JSON.stringify does', () => {
    expect(
      canonicalJson({ b: [3, { z: 1, a: 2 }], a: undefined, at: new Date('2025-11-22T09:06:01Z') }),
    ).toBe('{"at":"2025-11-22T09:06:01.000Z","b":[3,{"a":2,"z":1}]}');
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
