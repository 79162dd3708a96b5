import { createHash } from 'node:crypto';
import { PolicyError } from './policy.error';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value: object members sorted by UTF-16
 * code units, no whitespace, ECMAScript number and string serialisation (which JSON.stringify
 * already follows). `toJSON` is honoured as JSON.stringify does, so Dates become ISO strings, and
 * undefined members are left out. Anything JSON cannot represent is refused rather than dropped,
 * so two different inputs never share a hash.
 */
export function canonicalJson(value: unknown): string {
  try {
    return encodeFast(value, 0);
  } catch {
    // Encode again, slowly, to say where and why; this throws the PolicyError.
    return new CanonicalEncoder().encode(value);
  }
}

/** Deeper inputs are refused: nothing a policy reads is nested this far, and it bounds recursion. */
export const MAX_INPUT_DEPTH = 64;

/** SHA-256 of the canonical JSON of `value`, lowercase hex: the `inputHash` of a decision. */
export function canonicalHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hot path: no bookkeeping, any problem throws and is explained by CanonicalEncoder. */
function encodeFast(value: unknown, depth: number): string {
  const json = toJsonValue(value);
  if (typeof json === 'string') return JSON.stringify(json);
  if (typeof json === 'number' && Number.isFinite(json)) return JSON.stringify(json);
  if (typeof json === 'boolean') return json ? 'true' : 'false';
  if (typeof json !== 'object') throw new TypeError('not JSON');
  if (json === null) return 'null';
  if (depth >= MAX_INPUT_DEPTH) throw new RangeError('too deep');
  if (Array.isArray(json)) {
    let out = '[';
    for (let i = 0; i < json.length; i++) out += (i === 0 ? '' : ',') + encodeFast(json[i], depth + 1);
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(json).sort()) {
    const member: unknown = (json as Record<string, unknown>)[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${encodeFast(member, depth + 1)}`;
  }
  return `${out}}`;
}

/** One encoding: `trail` holds the keys down to the value being encoded, for error messages only. */
class CanonicalEncoder {
  private readonly ancestors: object[] = [];
  private readonly trail: (string | number)[] = [];

  encode(value: unknown): string {
    const json = toJsonValue(value);
    switch (typeof json) {
      case 'string':
        return JSON.stringify(json);
      case 'boolean':
        return json ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(json)) throw this.invalid(`${String(json)} is not a JSON number`);
        return JSON.stringify(json);
      case 'object':
        if (json === null) return 'null';
        if (this.ancestors.includes(json)) throw this.invalid('circular reference');
        if (this.ancestors.length >= MAX_INPUT_DEPTH)
          throw this.invalid(`nested deeper than ${MAX_INPUT_DEPTH}`);
        this.ancestors.push(json);
        try {
          return Array.isArray(json) ? this.array(json) : this.object(json);
        } finally {
          this.ancestors.pop();
        }
      case 'undefined':
      case 'bigint':
      case 'function':
      case 'symbol':
        throw this.invalid(`${typeof json} is not JSON`);
    }
  }

  private array(items: readonly unknown[]): string {
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      this.trail.push(i);
      out += (i === 0 ? '' : ',') + this.encode(items[i]);
      this.trail.pop();
    }
    return `${out}]`;
  }

  private object(object: object): string {
    let out = '{';
    // Default sort compares UTF-16 code units, as RFC 8785 requires.
    for (const key of Object.keys(object).sort()) {
      const member: unknown = (object as Record<string, unknown>)[key];
      if (member === undefined) continue;
      this.trail.push(key);
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${this.encode(member)}`;
      this.trail.pop();
    }
    return `${out}}`;
  }

  private invalid(problem: string): PolicyError {
    const path = this.trail.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
    return new PolicyError('POLICY.INPUT_INVALID', `policy input is not JSON at $${path}: ${problem}`, {
      metadata: { path: `$${path}` },
    });
  }
}

function toJsonValue(value: unknown): unknown {
  if (
    typeof value === 'object' &&
    value !== null &&
    'toJSON' in value &&
    typeof value.toJSON === 'function'
  ) {
    return (value.toJSON as () => unknown).call(value);
  }
  return value;
}
