/**
 * The 1-based line on which each element of a JSON document's asset array starts: the root array, or
 * the `member` array of a root object. The text must already be valid JSON (JSON.parse it first).
 */
export function arrayElementLines(text: string, member: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let rootIsObject: boolean | null = null;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastString = '';
  let lastKey: string | null = null;
  let targetDepth = -1;
  let awaitingElement = false;

  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (ch === '\n') {
      line += 1;
      continue;
    }
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') {
        inString = false;
        lastString = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    if (awaitingElement) {
      awaitingElement = false;
      if (ch !== ']') lines.push(line);
    }
    rootIsObject ??= ch === '{';
    switch (ch) {
      case '"':
        inString = true;
        stringStart = i;
        break;
      case ':':
        if (depth === 1) lastKey = lastString;
        break;
      case '[':
        depth += 1;
        if (targetDepth === -1 && (rootIsObject ? depth === 2 && lastKey === member : depth === 1)) {
          targetDepth = depth;
          awaitingElement = true;
        }
        break;
      case '{':
        depth += 1;
        break;
      case ']':
      case '}':
        if (depth === targetDepth) targetDepth = -2;
        depth -= 1;
        break;
      case ',':
        if (depth === targetDepth) awaitingElement = true;
        break;
      default:
        break;
    }
  }
  return lines;
}

/**
 * The 1-based line of the first syntax error of a JSON text, or null when it is valid. V8's messages
 * do not always carry a position, so this walks the grammar itself (RFC 8259, structure only).
 */
export function jsonSyntaxErrorLine(text: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(i);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i += 1;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = (): void => {
    i += 1;
    for (;;) {
      if (i >= text.length) fail();
      const ch = text.charCodeAt(i);
      if (ch === 0x22) break;
      if (ch < 0x20) fail();
      if (ch === 0x5c) {
        i += 1;
        const escape = text.charAt(i);
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(escape) || escape === '') fail();
      }
      i += 1;
    }
    i += 1;
  };
  const number = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!match) fail();
    i += match?.[0].length ?? 0;
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') {
      i += 1;
      ws();
      if (text.charAt(i) === '}') {
        i += 1;
        return;
      }
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail();
        string();
        ws();
        if (text.charAt(i) !== ':') fail();
        i += 1;
        value();
        ws();
        const next = text.charAt(i);
        i += 1;
        if (next === '}') return;
        if (next !== ',') {
          i -= 1;
          fail();
        }
      }
    } else if (ch === '[') {
      i += 1;
      ws();
      if (text.charAt(i) === ']') {
        i += 1;
        return;
      }
      for (;;) {
        value();
        ws();
        const next = text.charAt(i);
        i += 1;
        if (next === ']') return;
        if (next !== ',') {
          i -= 1;
          fail();
        }
      }
    } else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return null;
  } catch (error: unknown) {
    if (!(error instanceof JsonSyntaxAt)) throw error;
    let line = 1;
    for (let k = 0; k < Math.min(error.offset, text.length); k += 1) if (text.charCodeAt(k) === 10) line += 1;
    return line;
  }
}

class JsonSyntaxAt extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}
