import type { Role } from '@rf/platform-policy';
import type { DataSource } from 'typeorm';
import type { ApiKeyRecord, StoredApiKey } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository.port';

interface ApiKeyRow {
  id: string;
  key_id: string;
  org: string;
  name: string;
  role: Role;
  project: string | null;
  env: string | null;
  scopes: string[];
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  salt?: Buffer;
  hash?: Buffer;
}

const PUBLIC_COLUMNS =
  'id, key_id, org, name, role, project, env, scopes, created_by, created_at, expires_at, revoked_at, last_used_at';

export class PostgresApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(key: StoredApiKey): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO api_keys (id, key_id, org, name, role, project, env, scopes, created_by, created_at,
         expires_at, salt, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        key.id,
        key.keyId,
        key.org,
        key.name,
        key.role,
        key.project ?? null,
        key.env ?? null,
        key.scopes,
        key.createdBy,
        key.createdAt,
        key.expiresAt ?? null,
        key.salt,
        key.hash,
      ],
    );
  }

  async findByKeyId(keyId: string): Promise<StoredApiKey | undefined> {
    const rows = await this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${PUBLIC_COLUMNS}, salt, hash FROM api_keys WHERE key_id = $1`,
      [keyId],
    );
    const row = rows[0];
    return row?.salt && row.hash ? { ...toRecord(row), salt: row.salt, hash: row.hash } : undefined;
  }

  async listByOrg(org: string): Promise<ApiKeyRecord[]> {
    const rows = await this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${PUBLIC_COLUMNS} FROM api_keys WHERE org = $1 ORDER BY created_at, id`,
      [org],
    );
    return rows.map(toRecord);
  }

  async revoke(org: string, id: string, at: Date): Promise<ApiKeyRecord | undefined> {
    const [rows] = await this.dataSource.query<[ApiKeyRow[], number]>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
       WHERE org = $1 AND id = $2 RETURNING ${PUBLIC_COLUMNS}`,
      [org, id, at],
    );
    const row = rows[0];
    return row ? toRecord(row) : undefined;
  }

  async touch(id: string, at: Date): Promise<void> {
    // Coarse on purpose: one write per key per minute at most, not one per request.
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  }
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    keyId: row.key_id,
    org: row.org,
    name: row.name,
    role: row.role,
    ...(row.project === null ? {} : { project: row.project }),
    ...(row.env === null ? {} : { env: row.env }),
    scopes: row.scopes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
  };
}
