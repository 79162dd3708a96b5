import { LedgerError } from '../ledger.error';
import { decodeStrictBase64, keyIdHex } from './note-key';

/** One `— <key name> <base64(key ID || signature)>` line. */
export interface NoteSignature {
  readonly keyName: string;
  readonly keyId: number;
  readonly signature: Buffer;
}

export interface SignedNote {
  /** The signed text, ending in a newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Anything that can sign note text under a note key (a local key, a KMS, a witness). */
export interface NoteSigningKey {
  readonly keyName: string;
  readonly keyId: number;
  sign(message: Uint8Array): Buffer;
}

/** A trusted note key. */
export interface NoteVerifyingKey {
  readonly keyName: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Verifiers must accept at least 16 signatures (C2SP signed-note); more than this is refused. */
export const MAX_NOTE_SIGNATURES = 100;
const MAX_NOTE_BYTES = 1 << 20;

function malformed(why: string): never {
  throw new LedgerError('LEDGER.MALFORMED_NOTE', `Malformed signed note: ${why}`);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertCharacters(text: string): void {
  if (CONTROL.test(text)) malformed('control characters other than newline');
  if (LONE_SURROGATE.test(text)) malformed('not valid Unicode');
}

function assertText(text: string): void {
  if (!text.endsWith('\n')) malformed('the text must end with a newline');
  assertCharacters(text);
}

export function formatSignatureLine(signature: NoteSignature): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signature.keyId >>> 0);
  return `— ${signature.keyName} ${Buffer.concat([id, signature.signature]).toString('base64')}\n`;
}

export function formatSignedNote(note: SignedNote): string {
  assertText(note.text);
  if (note.signatures.length === 0) malformed('a note needs at least one signature');
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

/** Splits a signed note into its text and signature lines; does not verify anything. */
export function parseSignedNote(note: string): SignedNote {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) malformed('too large');
  if (!note.endsWith('\n')) malformed('must end with a newline');
  assertCharacters(note);
  // The text is separated from the signatures by the last blank line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  assertText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) malformed(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    const match = /^— (\S+) (\S+)$/u.exec(line);
    if (match === null) malformed(`bad signature line "${line}"`);
    const [, keyName, encoded] = match as unknown as [string, string, string];
    if (keyName.includes('+')) malformed(`key name "${keyName}" contains "+"`);
    const bytes = decodeStrictBase64(encoded);
    if (bytes === undefined || bytes.length < 5) malformed(`bad signature for ${keyName}`);
    return { keyName, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
  });
  return { text, signatures };
}

/** Signs note text with each key, keeping signatures already on the note. */
export function signNote(
  text: string,
  keys: readonly NoteSigningKey[],
  existing: readonly NoteSignature[] = [],
): SignedNote {
  assertText(text);
  const message = Buffer.from(text, 'utf8');
  const added = keys.map((key) => ({ keyName: key.keyName, keyId: key.keyId, signature: key.sign(message) }));
  return { text, signatures: [...existing, ...added] };
}

export interface OpenedNote {
  readonly text: string;
  /** Known keys whose signatures verified. */
  readonly verifiedBy: readonly NoteVerifyingKey[];
  /** Known keys (name and ID both match) whose signatures did not verify. */
  readonly failed: readonly NoteVerifyingKey[];
  /** Signatures from keys not in the trusted set; ignored, as the spec requires. */
  readonly unknown: readonly NoteSignature[];
}

/**
 * Checks a note's signatures against trusted keys, following C2SP signed-note: a signature whose name and
 * ID both match a known key must verify; any other is ignored. The caller decides what to trust.
 */
export function openNote(note: SignedNote, trusted: readonly NoteVerifyingKey[]): OpenedNote {
  const message = Buffer.from(note.text, 'utf8');
  const verifiedBy: NoteVerifyingKey[] = [];
  const failed: NoteVerifyingKey[] = [];
  const unknown: NoteSignature[] = [];
  for (const signature of note.signatures) {
    const key = trusted.find((k) => k.keyName === signature.keyName && k.keyId === signature.keyId);
    if (key === undefined) unknown.push(signature);
    else if (key.verify(message, signature.signature)) {
      if (!verifiedBy.includes(key)) verifiedBy.push(key);
    } else failed.push(key);
  }
  return { text: note.text, verifiedBy, failed, unknown };
}

export function describeKey(key: { readonly keyName: string; readonly keyId: number }): string {
  return `${key.keyName}+${keyIdHex(key.keyId)}`;
}
