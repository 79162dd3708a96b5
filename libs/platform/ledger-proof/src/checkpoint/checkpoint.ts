import { LedgerError } from '../ledger.error';
import { HASH_SIZE } from '../merkle/rfc6962.hasher';
import { decodeStrictBase64 } from './note-key';

/** A C2SP tlog-checkpoint: the log's identity, tree size and RFC 6962 root hash. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Opaque extension lines; their use is not recommended and the ledger writes none. */
  readonly extensions: readonly string[];
}

function malformed(why: string): never {
  throw new LedgerError('LEDGER.MALFORMED_CHECKPOINT', `Malformed checkpoint: ${why}`);
}

/** The note text of a checkpoint: origin, size and base64 root, one per line, then any extensions. */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  if (checkpoint.origin.length === 0 || checkpoint.origin.includes('\n')) malformed('bad origin');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) malformed('bad size');
  if (checkpoint.rootHash.length !== HASH_SIZE) malformed('the root hash must have 32 bytes');
  if (checkpoint.extensions.some((line) => line.length === 0 || line.includes('\n'))) {
    malformed('extension lines must be non-empty single lines');
  }
  const lines = [checkpoint.origin, String(checkpoint.size), checkpoint.rootHash.toString('base64')];
  return `${[...lines, ...checkpoint.extensions].join('\n')}\n`;
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) malformed('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) malformed('expected origin, size and root hash lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) malformed('empty origin');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) malformed(`tree size "${sizeText}"`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) malformed(`tree size ${sizeText} is too large`);
  const rootHash = decodeStrictBase64(rootText);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE)
    malformed('the root hash must be base64 of 32 bytes');
  if (extensions.some((line) => line.length === 0)) malformed('empty extension line');
  return { origin, size, rootHash, extensions };
}
