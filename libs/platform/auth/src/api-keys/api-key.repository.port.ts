import type { ApiKeyRecord, StoredApiKey } from './api-key.record';

/** Every read and write but the lookup by key id is scoped to one organisation. */
export interface ApiKeyRepository {
  insert(key: StoredApiKey): Promise<void>;
  /** The lookup at authentication: the key id is the only thing known before the key is checked. */
  findByKeyId(keyId: string): Promise<StoredApiKey | undefined>;
  listByOrg(org: string): Promise<ApiKeyRecord[]>;
  /** Revokes the key if it belongs to `org`; undefined when it does not exist there. */
  revoke(org: string, id: string, at: Date): Promise<ApiKeyRecord | undefined>;
  touch(id: string, at: Date): Promise<void>;
}
