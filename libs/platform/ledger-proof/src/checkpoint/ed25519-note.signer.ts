import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { LedgerError } from '../ledger.error';
import { Ed25519NoteVerifier } from './ed25519-note.verifier';
import {
  assertKeyName,
  decodeStrictBase64,
  keyIdHex,
  SIGNATURE_TYPE_ED25519,
  splitKeyText,
} from './note-key';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function malformed(why: string): never {
  throw new LedgerError('LEDGER.MALFORMED_KEY', `Malformed signer key: ${why}`);
}

/**
 * An Ed25519 note signing key. Its text form is the Go sumdb/note skey,
 * `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>`; it is a secret.
 */
export class Ed25519NoteSigner {
  readonly verifier: Ed25519NoteVerifier;
  private readonly key: KeyObject;

  private constructor(
    readonly keyName: string,
    private readonly seed: Buffer,
  ) {
    assertKeyName(keyName);
    if (seed.length !== 32) malformed('an Ed25519 seed has 32 bytes');
    this.key = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.key).export({ format: 'der', type: 'spki' });
    this.verifier = new Ed25519NoteVerifier(keyName, spki.subarray(spki.length - 32));
  }

  static fromSeed(keyName: string, seed: Uint8Array): Ed25519NoteSigner {
    return new Ed25519NoteSigner(keyName, Buffer.from(seed));
  }

  static generate(keyName: string): Ed25519NoteSigner {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    return new Ed25519NoteSigner(keyName, pkcs8.subarray(pkcs8.length - 32));
  }

  static fromSkey(skey: string): Ed25519NoteSigner {
    const parts = skey.startsWith('PRIVATE+KEY+')
      ? splitKeyText(skey.slice('PRIVATE+KEY+'.length))
      : undefined;
    if (parts === undefined) malformed('expected PRIVATE+KEY+<name>+<hash>+<key>');
    const [name, hash, encoded] = parts;
    const material = decodeStrictBase64(encoded);
    if (material === undefined || material.length !== 33) malformed('the key must be base64 of 33 bytes');
    if (material[0] !== SIGNATURE_TYPE_ED25519) malformed(`unsupported signature type ${material[0]}`);
    const signer = new Ed25519NoteSigner(name, material.subarray(1));
    if (keyIdHex(signer.keyId) !== hash) malformed('the key hash does not match the key');
    return signer;
  }

  get keyId(): number {
    return this.verifier.keyId;
  }

  toSkey(): string {
    const material = Buffer.concat([Buffer.from([SIGNATURE_TYPE_ED25519]), this.seed]);
    return `PRIVATE+KEY+${this.keyName}+${keyIdHex(this.keyId)}+${material.toString('base64')}`;
  }

  sign(message: Uint8Array): Buffer {
    return sign(null, message, this.key);
  }
}
