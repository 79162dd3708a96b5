import type { Role } from '@rf/platform-policy';

/** A stored API key: everything but the secret, of which only a salted hash is kept. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly keyId: string;
  readonly org: string;
  readonly name: string;
  readonly role: Role;
  readonly project?: string;
  readonly env?: string;
  readonly scopes: readonly string[];
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly revokedAt?: Date;
  readonly lastUsedAt?: Date;
}

export interface StoredApiKey extends ApiKeyRecord {
  readonly salt: Buffer;
  readonly hash: Buffer;
}
