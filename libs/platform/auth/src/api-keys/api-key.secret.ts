import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `rfk_<16 hex: lookup id>_<43 base64url: 256-bit secret>`; the prefix makes leaked keys greppable. */
export const API_KEY_PATTERN = /^rfk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/u;

export interface MintedApiKey {
  /** Shown to its owner once, never stored. */
  readonly plaintext: string;
  readonly keyId: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/**
 * Mints a key. The secret has 256 bits of entropy, so a salted SHA-256 is as strong as a slow hash
 * here (nothing to brute-force) and costs microseconds per request instead of milliseconds.
 */
export function mintApiKey(random: (size: number) => Buffer = randomBytes): MintedApiKey {
  const keyId = random(8).toString('hex');
  const secret = random(32).toString('base64url');
  const salt = random(16);
  return { plaintext: `rfk_${keyId}_${secret}`, keyId, salt, hash: hashSecret(salt, secret) };
}

export function parseApiKey(plaintext: string): { keyId: string; secret: string } | undefined {
  const match = API_KEY_PATTERN.exec(plaintext);
  return match ? { keyId: match[1] as string, secret: match[2] as string } : undefined;
}

export function hashSecret(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

export function secretMatches(salt: Buffer, secret: string, storedHash: Buffer): boolean {
  const candidate = hashSecret(salt, secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
