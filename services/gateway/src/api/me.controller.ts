import { Controller, Get, Req } from '@nestjs/common';
import { type AuthenticatedPrincipal, Authenticated } from '@rf/platform-auth';

export interface MeResponse {
  readonly id: string;
  readonly kind: AuthenticatedPrincipal['kind'];
  readonly displayName: string | null;
  readonly org: string;
  readonly authMethod: AuthenticatedPrincipal['authMethod'];
  readonly grants: readonly {
    role: string;
    org: string;
    project?: string;
    env?: string;
    expiresAt?: string;
  }[];
  readonly scopes: readonly string[] | null;
}

@Controller('api/v1/me')
export class MeController {
  /** The caller as the gateway sees it: what the policy will be asked about. */
  @Get()
  @Authenticated()
  me(@Req() req: { principal: AuthenticatedPrincipal }): MeResponse {
    const p = req.principal;
    return {
      id: p.id,
      kind: p.kind,
      displayName: p.displayName ?? null,
      org: p.org,
      authMethod: p.authMethod,
      grants: p.grants.map((g) => ({
        role: g.role,
        org: g.org,
        ...(g.project ? { project: g.project } : {}),
        ...(g.env ? { env: g.env } : {}),
        ...(g.expiresAt ? { expiresAt: new Date(g.expiresAt).toISOString() } : {}),
      })),
      scopes: p.scopes ?? null,
    };
  }
}
