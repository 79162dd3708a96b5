import { createHash } from 'node:crypto';
import { LedgerError } from '../ledger.error';

/** Signature type identifier bytes from C2SP signed-note. */
export const SIGNATURE_TYPE_ED25519 = 0x01;

const KEY_NAME = /^[^\s+]+$/u;

export function assertKeyName(name: string): void {
  if (!KEY_NAME.test(name)) {
    throw new LedgerError(
      'LEDGER.MALFORMED_KEY',
      `Malformed key name "${name}": it must be non-empty, without spaces or "+"`,
    );
  }
}

/** C2SP signed-note key ID: the first four bytes of SHA-256(key name || 0x0A || type || public key). */
export function noteKeyId(name: string, signatureType: number, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, signatureType]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** Standard (RFC 4648 §4) base64 that must round-trip, so no two texts decode to the same octets. */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** Splits `<name>+<hash>+<key>`; the base64 key may itself contain "+". */
export function splitKeyText(text: string): [name: string, hash: string, key: string] | undefined {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return undefined;
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}
