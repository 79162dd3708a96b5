import fc from 'fast-check';
import { canonicalJson, canonicalJsonBytes } from './canonical-json';
import { CanonicalJsonError } from './canonical-json.error';
import type { JsonValue } from './json-value';

const fromBits = (bits: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
};

describe('RFC 8785 JSON Canonicalization Scheme', () => {
  it('serialises the §3.2.2 example', () => {
    const parsed = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as JsonValue;
    expect(canonicalJson(parsed)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('produces the §3.2.4 UTF-8 octets for the §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as JsonValue;
    const octets = `
      7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
      75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
      5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
      65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
      5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
      30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d`.replace(/\s+/g, '');
    expect(canonicalJsonBytes(input).toString('hex')).toBe(octets);
  });

  it('sorts properties by UTF-16 code units (§3.2.3)', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    ) as JsonValue;
    const order = [...canonicalJson(input).matchAll(/:"([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('matches the reference implementation test data (values.json, weird.json)', () => {
    const values = JSON.parse(
      '{"numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],' +
        ' "escaping": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as JsonValue;
    expect(canonicalJson(values)).toBe(
      '{"escaping":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","literals":[null,true,false],' +
        '"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}',
    );
    const weird = JSON.parse(
      '{"\\u20ac": "Euro Sign", "1": "One", "\\u0080": "Control\\u007f", "\\ud83d\\ude02": "Smiley",' +
        ' "\\u00f6": "Latin Small Letter O With Diaeresis", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
        ' "</script>": "Browser Challenge"}',
    ) as JsonValue;
    expect(canonicalJson(weird)).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley",' +
        '"\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('serialises the Appendix B number 0x%s as %s', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it.each([
    ['NaN', fromBits('7fffffffffffffff')],
    ['Infinity', fromBits('7ff0000000000000')],
  ])('refuses %s (Appendix B)', (_, value) => {
    expect(() => canonicalJson(value)).toThrow('is not a JSON number');
  });

  it('refuses what is not I-JSON', () => {
    expect(() => canonicalJson('\ud800')).toThrow('lone surrogate');
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow('lone surrogate');
    expect(() => canonicalJson({ a: undefined })).toThrow('a undefined is not JSON');
    expect(() => canonicalJson({ a: 1n })).toThrow('a bigint is not JSON');
    expect(() => canonicalJson({ at: new Date(0) })).toThrow('only plain objects');
  });

  it('writes a value whose members are already in order exactly as one that must be sorted', () => {
    const reordered = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reordered);
      if (value === null || typeof value !== 'object') return value;
      const keys = Object.keys(value);
      // Canonical order, and the same members in reverse: one takes the ordered path, one the sorting.
      return Object.fromEntries(
        keys.sort().map((k) => [k, reordered((value as Record<string, unknown>)[k])]),
      );
    };
    const reversed = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .reverse()
          .map((k) => [k, reversed((value as Record<string, unknown>)[k])]),
      );
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const ordered = canonicalJson(reordered(value));
        expect(ordered).toBe(canonicalJson(reversed(value)));
        expect(JSON.parse(ordered)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
    // Ordered, but not JSON: still refused with the reason.
    expect(() => canonicalJson({ a: 1, b: '\ud800' })).toThrow('lone surrogate');
    expect(() => canonicalJson({ a: 1, b: Number.NaN })).toThrow('is not a JSON number');
    expect(() => canonicalJson({ a: undefined, b: 1 })).toThrow('a undefined is not JSON');
    // In JavaScript input mode, what toJSON or an undefined member changes is still honoured.
    const js = { input: 'javascript' } as const;
    expect(canonicalJson({ a: undefined, b: 1 }, js)).toBe('{"b":1}');
    expect(canonicalJson({ a: new Date(0), b: { toJSON: () => 'z' } }, js)).toBe(
      '{"a":"1970-01-01T00:00:00.000Z","b":"z"}',
    );
  });

  it('writes nested structures without whitespace and keeps array order', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: [] }, 'x'], a: {} })).toBe(
      '{"a":{},"b":[3,{"a":[],"z":1},"x"]}',
    );
    expect(canonicalJson(Object.create(null) as JsonValue)).toBe('{}');
  });

  it('names where a value stops being JSON', () => {
    const error = (() => {
      try {
        return canonicalJson({ a: [1, { b: Number.NaN }] });
      } catch (caught: unknown) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CanonicalJsonError);
    expect(error).toMatchObject({ path: '$.a[1].b', code: 'CANONICAL_JSON.INVALID' });
  });
});

describe('RFC 8785 of JavaScript values (input: javascript)', () => {
  const js = (value: unknown, maxDepth?: number) =>
    canonicalJson(value, { input: 'javascript', ...(maxDepth === undefined ? {} : { maxDepth }) });

  it('leaves out undefined members and honours toJSON', () => {
    expect(js({ a: undefined, at: new Date('2025-11-22T09:06:01Z') })).toBe(
      '{"at":"2025-11-22T09:06:01.000Z"}',
    );
  });

  it('sorts keys by UTF-16 code units, not code points', () => {
    // U+1F600 is stored as the surrogates D83D DE00, so it sorts before U+FB33 (RFC 8785 §3.2.3).
    const value = { '\u20ac': 1, '\r': 2, '\ufb33': 3, '\u{1f600}': 4, '1': 5, a: 6 };
    expect(js(value)).toBe('{"\\r":2,"1":5,"a":6,"\u20ac":1,"\u{1f600}":4,"\ufb33":3}');
  });

  it.each([
    ['NaN', { n: Number.NaN }, 'is not a JSON number'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'is not a JSON number'],
    ['a bigint', { n: 1n }, 'a bigint is not JSON'],
    ['a function', { f: () => 1 }, 'a function is not JSON'],
    ['undefined', undefined, 'a undefined is not JSON'],
    ['a symbol', [Symbol('s')], 'a symbol is not JSON'],
    ['a class instance', { m: new Map() }, 'only plain objects'],
  ])('refuses %s', (_, value, problem) => {
    expect(() => js(value)).toThrow(problem);
  });

  it('refuses a cycle but accepts shared references', () => {
    const shared = { x: 1 };
    expect(js({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => js(cyclic)).toThrow('not JSON at $.self: circular reference');
  });

  it('refuses values nested deeper than maxDepth', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 8; i++) deep = [deep];
    expect(() => js([deep], 8)).toThrow('nested deeper than 8');
    expect(js(deep, 8)).toBe(`${'['.repeat(8)}"leaf"${']'.repeat(8)}`);
  });
});
