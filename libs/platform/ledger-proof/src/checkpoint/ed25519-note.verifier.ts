import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { LedgerError } from '../ledger.error';
import {
  assertKeyName,
  decodeStrictBase64,
  keyIdHex,
  noteKeyId,
  SIGNATURE_TYPE_ED25519,
  splitKeyText,
} from './note-key';

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function malformed(why: string): never {
  throw new LedgerError('LEDGER.MALFORMED_KEY', `Malformed verifier key: ${why}`);
}

/** A trusted Ed25519 note key, as written in a C2SP vkey: `<name>+<hex key ID>+<base64(0x01 || key)>`. */
export class Ed25519NoteVerifier {
  readonly keyId: number;
  private readonly key: KeyObject;

  constructor(
    readonly keyName: string,
    readonly publicKey: Buffer,
  ) {
    assertKeyName(keyName);
    if (publicKey.length !== 32) malformed('an Ed25519 public key has 32 bytes');
    this.keyId = noteKeyId(keyName, SIGNATURE_TYPE_ED25519, publicKey);
    try {
      this.key = createPublicKey({
        key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
        format: 'der',
        type: 'spki',
      });
    } catch (error: unknown) {
      throw new LedgerError('LEDGER.MALFORMED_KEY', 'Malformed verifier key: not an Ed25519 point', {
        cause: error,
      });
    }
  }

  static fromVkey(vkey: string): Ed25519NoteVerifier {
    const parts = splitKeyText(vkey);
    if (parts === undefined) malformed('expected <name>+<hash>+<key>');
    const [name, hash, encoded] = parts;
    if (!/^[0-9a-f]{8}$/.test(hash)) malformed('the key hash must be 8 lower-case hex digits');
    const material = decodeStrictBase64(encoded);
    if (material === undefined || material.length !== 33) malformed('the key must be base64 of 33 bytes');
    if (material[0] !== SIGNATURE_TYPE_ED25519) malformed(`unsupported signature type ${material[0]}`);
    const verifier = new Ed25519NoteVerifier(name, material.subarray(1));
    if (keyIdHex(verifier.keyId) !== hash) malformed('the key hash does not match the key');
    return verifier;
  }

  toVkey(): string {
    const material = Buffer.concat([Buffer.from([SIGNATURE_TYPE_ED25519]), this.publicKey]);
    return `${this.keyName}+${keyIdHex(this.keyId)}+${material.toString('base64')}`;
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return signature.length === 64 && verify(null, message, this.key, signature);
  }
}
