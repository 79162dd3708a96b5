import { LedgerError } from '../ledger.error';
import type { JsonValue } from './json-value';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function fail(path: string, why: string): never {
  throw new LedgerError('LEDGER.NOT_CANONICAL_JSON', `Cannot canonicalise ${path}: ${why}`, {
    metadata: { path },
  });
}

function serialiseString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) fail(path, 'the string holds a lone surrogate');
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 requires: the two-character escapes for
  // \b \t \n \f \r " \, lower-case \u00xx for the other controls, everything else verbatim.
  return JSON.stringify(value);
}

function serialise(value: unknown, path: string, depth: number, out: string[]): void {
  if (depth > 100) fail(path, 'nesting deeper than 100 levels');
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(path, `${value} is not a JSON number`);
      // ECMAScript Number::toString is the serialisation RFC 8785 §3.2.2.3 prescribes (and -0 becomes 0).
      out.push(String(value));
      return;
    case 'string':
      out.push(serialiseString(value, path));
      return;
    case 'object':
      break;
    case 'bigint':
    case 'undefined':
    case 'symbol':
    case 'function':
      fail(path, `a ${typeof value} is not JSON`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((element: unknown, i) => {
      if (i > 0) out.push(',');
      serialise(element, `${path}[${i}]`, depth + 1, out);
    });
    out.push(']');
    return;
  }
  // Plain objects from any realm (structuredClone, vm contexts) have a prototype whose prototype is null.
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (
    prototype !== null &&
    (Object.getPrototypeOf(prototype) !== null || Object.prototype.toString.call(value) !== '[object Object]')
  ) {
    fail(path, 'only plain objects are JSON objects');
  }
  // Default string ordering compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
  const keys = Object.keys(value).sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(serialiseString(key, `${path}.${key}`), ':');
    serialise((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, out);
  });
  out.push('}');
}

/** RFC 8785 JSON Canonicalization Scheme: sorted keys, ECMAScript numbers, no insignificant whitespace. */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  serialise(value, '$', 0, out);
  return out.join('');
}

/** The UTF-8 octets of the canonical form: what gets hashed and signed. */
export function canonicalJsonBytes(value: JsonValue): Buffer {
  return Buffer.from(canonicalJson(value), 'utf8');
}
