import type { Role } from '@rf/platform-policy';
import { randomUUID } from 'node:crypto';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import type { ApiKeyRecord } from './api-key.record';
import type { ApiKeyRepository } from './api-key.repository.port';
import { mintApiKey, parseApiKey, secretMatches } from './api-key.secret';

export interface IssueApiKey {
  readonly org: string;
  readonly name: string;
  readonly role: Role;
  readonly project?: string;
  readonly env?: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
  readonly createdBy: string;
}

/** Keys live at most a year: a bot's credential is short-lived and rotated. */
export const MAX_API_KEY_LIFETIME_MS = 366 * 24 * 3600_000;

const ACTION_SCOPE = /^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?)$/u;

/** Issues, checks, lists and revokes API keys. Only `issue` ever sees the plaintext key. */
export class ApiKeyRegistry {
  constructor(
    private readonly repository: ApiKeyRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async issue(request: IssueApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
    const now = this.clock();
    const problems: string[] = [];
    if (request.expiresAt.getTime() <= now.getTime()) problems.push('expiresAt must be in the future');
    if (request.expiresAt.getTime() - now.getTime() > MAX_API_KEY_LIFETIME_MS) {
      problems.push('expiresAt must be within a year');
    }
    if (request.scopes.length === 0) problems.push('scopes must name at least one action');
    const badScopes = request.scopes.filter((s) => !ACTION_SCOPE.test(s));
    if (badScopes.length > 0) problems.push(`scopes are not actions: ${badScopes.join(', ')}`);
    if (problems.length > 0) {
      throw new AuthError('AUTH.API_KEY_REQUEST_INVALID', problems.join('; '), { metadata: { problems } });
    }
    const minted = mintApiKey();
    const record: ApiKeyRecord = {
      id: randomUUID(),
      keyId: minted.keyId,
      org: request.org,
      name: request.name,
      role: request.role,
      ...(request.project ? { project: request.project } : {}),
      ...(request.env ? { env: request.env } : {}),
      scopes: [...new Set(request.scopes)].sort(),
      createdBy: request.createdBy,
      createdAt: now,
      expiresAt: request.expiresAt,
    };
    await this.repository.insert({ ...record, salt: minted.salt, hash: minted.hash });
    return { key: minted.plaintext, record };
  }

  /** The principal a key stands for; the same error for an unknown key and a wrong secret. */
  async authenticate(plaintext: string): Promise<AuthenticatedPrincipal> {
    const parsed = parseApiKey(plaintext);
    const invalid = new AuthError('AUTH.API_KEY_INVALID', 'the API key is not valid');
    if (!parsed) throw invalid;
    const stored = await this.repository.findByKeyId(parsed.keyId);
    if (!stored || !secretMatches(stored.salt, parsed.secret, stored.hash)) throw invalid;
    const now = this.clock();
    if (stored.revokedAt) throw new AuthError('AUTH.API_KEY_REVOKED', 'the API key has been revoked');
    if (stored.expiresAt && stored.expiresAt.getTime() <= now.getTime()) {
      throw new AuthError('AUTH.API_KEY_EXPIRED', 'the API key has expired');
    }
    await this.repository.touch(stored.id, now);
    return {
      kind: 'service',
      id: `apikey:${stored.id}`,
      displayName: stored.name,
      org: stored.org,
      grants: [
        {
          role: stored.role,
          org: stored.org,
          ...(stored.project ? { project: stored.project } : {}),
          ...(stored.env ? { env: stored.env } : {}),
          ...(stored.expiresAt ? { expiresAt: stored.expiresAt } : {}),
        },
      ],
      authMethod: 'api_key',
      scopes: stored.scopes,
      credentialId: stored.id,
    };
  }

  list(org: string): Promise<ApiKeyRecord[]> {
    return this.repository.listByOrg(org);
  }

  /** Another organisation's key answers exactly like a key that does not exist. */
  async revoke(org: string, id: string): Promise<ApiKeyRecord> {
    const revoked = await this.repository.revoke(org, id, this.clock());
    if (!revoked) throw new AuthError('AUTH.API_KEY_NOT_FOUND', `no API key ${id}`);
    return revoked;
  }
}
