import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import {
  API_KEY_REGISTRY,
  type ApiKeyRecord,
  type ApiKeyRegistry,
  type AuthenticatedPrincipal,
  AuthError,
  Authorize,
  organisationScope,
  ROLES,
} from '@rf/platform-auth';
import { z } from 'zod';

const SCOPE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/u;

const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES as ['viewer', 'operator', 'engineer', 'admin']),
  project: z.string().regex(SCOPE_ID).optional(),
  env: z.string().regex(SCOPE_ID).optional(),
  scopes: z.array(z.string().min(1).max(200)).min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).transform((v) => new Date(v)),
});

export interface ApiKeyView {
  readonly id: string;
  readonly prefix: string;
  readonly name: string;
  readonly org: string;
  readonly role: string;
  readonly project: string | null;
  readonly env: string | null;
  readonly scopes: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

interface CallerRequest {
  readonly principal: AuthenticatedPrincipal;
  readonly body?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/** API keys of the caller's organisation, for its admins. The plaintext key is returned once, at creation. */
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(API_KEY_REGISTRY) private readonly registry: ApiKeyRegistry) {}

  @Post()
  @Authorize('apikey.manage', organisationScope('apikey'))
  async create(@Req() req: CallerRequest): Promise<ApiKeyView & { key: string }> {
    const body = CreateApiKeyBody.safeParse(jsonBody(req.body));
    if (!body.success) {
      const problems = body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      throw new AuthError('AUTH.API_KEY_REQUEST_INVALID', problems.join('; '), { metadata: { problems } });
    }
    const { key, record } = await this.registry.issue({
      ...body.data,
      org: req.principal.org,
      createdBy: req.principal.id,
    });
    return { ...apiKeyView(record), key };
  }

  @Get()
  @Authorize('apikey.manage', organisationScope('apikey'))
  async list(@Req() req: CallerRequest): Promise<{ items: ApiKeyView[] }> {
    return { items: (await this.registry.list(req.principal.org)).map(apiKeyView) };
  }

  @Delete(':id')
  @HttpCode(200)
  @Authorize('apikey.manage', organisationScope('apikey'))
  async revoke(@Req() req: CallerRequest, @Param('id') id: string): Promise<ApiKeyView> {
    if (!UUID.test(id)) throw new AuthError('AUTH.API_KEY_NOT_FOUND', `no API key ${id}`);
    return apiKeyView(await this.registry.revoke(req.principal.org, id));
  }
}

/** The gateway reads bodies raw (it forwards them untouched), so its own endpoints parse JSON here. */
function jsonBody(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AuthError('AUTH.API_KEY_REQUEST_INVALID', 'the body is not JSON');
  }
}

function apiKeyView(r: ApiKeyRecord): ApiKeyView {
  return {
    id: r.id,
    prefix: `rfk_${r.keyId}`,
    name: r.name,
    org: r.org,
    role: r.role,
    project: r.project ?? null,
    env: r.env ?? null,
    scopes: r.scopes,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  };
}
