import { CanonicalJsonError } from './canonical-json.error';

/**
 * What the encoder accepts.
 * - `json`: JSON values only (plain objects, arrays, finite numbers, strings, booleans, null), as a
 *   ledger leaf needs: anyone must be able to rebuild the same bytes from the JSON text alone.
 * - `javascript`: first what JSON.stringify sees (`toJSON` honoured, so Dates become ISO strings;
 *   undefined members left out), then the same rules.
 */
export type CanonicalJsonInput = 'json' | 'javascript';

export interface CanonicalJsonOptions {
  readonly input?: CanonicalJsonInput;
  /** Deeper values are refused; it also bounds recursion. */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 100;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Most strings hold no surrogate at all; this test costs a fraction of the lookaround one above.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;

function hasLoneSurrogate(text: string): boolean {
  return ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text);
}

/**
 * RFC 8785 (JSON Canonicalization Scheme) text: object members sorted by UTF-16 code units (the
 * default string order), no whitespace, ECMAScript number and string serialisation (what
 * JSON.stringify already writes, including -0 as 0 and RFC 8785's escapes). Anything that is not
 * I-JSON is refused rather than dropped, so two different values never share a canonical form.
 */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const settings: Settings = {
    honourToJson: options.input === 'javascript',
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
  };
  // Values built with their members already in canonical order (as the policy input builders build
  // them) are checked in one walk and written by JSON.stringify, whose output is then the canonical
  // form: same number and string serialisation, and a flat string, cheaper to hash and to copy. The
  // walk accepts plain JSON only, so there is no toJSON and no undefined member for either input
  // mode to treat differently.
  if (inCanonicalOrder(value, 0, settings.maxDepth)) return JSON.stringify(value);
  try {
    return encodeFast(value, 0, settings);
  } catch {
    // Encode again, keeping the path, to say where and why.
    return new ExplainingEncoder(settings).encode(value);
  }
}

/** The UTF-8 octets of the canonical form: what gets hashed and signed. */
export function canonicalJsonBytes(value: unknown, options?: CanonicalJsonOptions): Buffer {
  return Buffer.from(canonicalJson(value, options), 'utf8');
}

interface Settings {
  readonly honourToJson: boolean;
  readonly maxDepth: number;
}

/** Object keys repeat from value to value (`now`, `environment`, …): their JSON text is kept. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

/** The JSON text of a key, or undefined when the key holds a lone surrogate. */
function quotedKey(key: string): string | undefined {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted !== undefined) return quoted;
  if (hasLoneSurrogate(key)) return undefined;
  quoted = JSON.stringify(key);
  if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  return quoted;
}

/**
 * Whether `value` is JSON whose every object lists its members in canonical (UTF-16) order: then
 * JSON.stringify writes exactly its canonical form. False for anything else, unordered members and
 * what is not JSON alike; the encoders below then sort, or say what is wrong.
 */
function inCanonicalOrder(value: unknown, depth: number, maxDepth: number): boolean {
  switch (typeof value) {
    case 'string':
      return !hasLoneSurrogate(value);
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object':
      break;
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      return false;
  }
  if (value === null) return true;
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i], depth + 1, maxDepth)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if ((i > 0 && key <= (keys[i - 1] as string)) || hasLoneSurrogate(key)) return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[key], depth + 1, maxDepth)) return false;
  }
  return true;
}

/** The hot path: no bookkeeping; any problem throws and ExplainingEncoder says what it was. */
function encodeFast(input: unknown, depth: number, settings: Settings): string {
  const value = settings.honourToJson && typeof input === 'object' ? viaToJson(input) : input;
  switch (typeof value) {
    case 'string':
      if (hasLoneSurrogate(value)) throw new Error();
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error();
      // For finite numbers String() writes what JSON.stringify does (-0 as 0 included), faster.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new Error();
  }
  if (value === null) return 'null';
  if (depth >= settings.maxDepth) throw new Error();
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i === 0 ? '' : ',') + encodeFast(value[i], depth + 1, settings);
    return out + ']';
  }
  if (!isPlainObject(value)) throw new Error();
  let out = '{';
  for (const key of Object.keys(value).sort()) {
    const member: unknown = (value as Record<string, unknown>)[key];
    if (member === undefined && settings.honourToJson) continue;
    const quoted = quotedKey(key);
    if (quoted === undefined) throw new Error();
    out += (out.length === 1 ? '' : ',') + quoted + ':' + encodeFast(member, depth + 1, settings);
  }
  return out + '}';
}

/** Encodes like encodeFast, tracking the path so the error names where the value stops being JSON. */
class ExplainingEncoder {
  private readonly ancestors: object[] = [];
  private readonly trail: (string | number)[] = [];

  constructor(private readonly settings: Settings) {}

  encode(input: unknown): string {
    const value = this.settings.honourToJson ? viaToJson(input) : input;
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(value)) throw this.invalid(`${String(value)} is not a JSON number`);
        return JSON.stringify(value);
      case 'object':
        if (value === null) return 'null';
        if (this.ancestors.includes(value)) throw this.invalid('circular reference');
        if (this.ancestors.length >= this.settings.maxDepth)
          throw this.invalid(`nested deeper than ${this.settings.maxDepth}`);
        if (!Array.isArray(value) && !isPlainObject(value))
          throw this.invalid('only plain objects are JSON objects');
        this.ancestors.push(value);
        try {
          return Array.isArray(value) ? this.array(value) : this.object(value);
        } finally {
          this.ancestors.pop();
        }
      case 'undefined':
      case 'bigint':
      case 'function':
      case 'symbol':
        throw this.invalid(`a ${typeof value} is not JSON`);
    }
  }

  private string(value: string): string {
    if (hasLoneSurrogate(value)) throw this.invalid('the string holds a lone surrogate');
    return JSON.stringify(value);
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
    for (const key of Object.keys(object).sort()) {
      const member: unknown = (object as Record<string, unknown>)[key];
      if (member === undefined && this.settings.honourToJson) continue;
      this.trail.push(key);
      out += `${out.length === 1 ? '' : ','}${this.string(key)}:${this.encode(member)}`;
      this.trail.pop();
    }
    return `${out}}`;
  }

  private invalid(problem: string): CanonicalJsonError {
    const path = `$${this.trail.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}`;
    return new CanonicalJsonError(path, problem);
  }
}

/** Plain objects from any realm (structuredClone, vm contexts): their prototype's prototype is null. */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  // The common case first: Object.prototype.toString is slow (it looks up Symbol.toStringTag).
  if (prototype === Object.prototype && !(Symbol.toStringTag in value)) return true;
  return (
    prototype === null ||
    (Object.getPrototypeOf(prototype) === null && Object.prototype.toString.call(value) === '[object Object]')
  );
}

function viaToJson(value: unknown): unknown {
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
