import { z } from 'zod';
import type { ImageActor } from '../../application/images/ports/image-registry.store.port';
import { IMAGE_CHANNELS } from '../../domain/images/image-channel';
import { ImageError } from '../../domain/images/image.error';
import { IMAGE_PLATFORMS } from '../../domain/images/platform-ref';

const uuid = z.uuid('must be a UUID');

export const ImageIdParams = z.object({ id: uuid });

export const ListImagesQuerySchema = z.strictObject({
  family: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'is not a family name')
    .optional(),
  channel: z.enum(IMAGE_CHANNELS).optional(),
  platform: z.enum(IMAGE_PLATFORMS).optional(),
  revoked: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,2}$/, 'must be an integer from 1 to 200')
    .transform(Number)
    .refine((n) => n <= 200, 'must be at most 200')
    .default(50),
  cursor: z.string().min(1).max(512).optional(),
});

export const SbomDiffQuery = z.strictObject({ against: uuid });

export const PublishImageBody = z.strictObject({
  /** The signed manifest, as a string so its bytes are exactly what was signed. */
  manifest: z.string().min(2).max(262_144),
  /** The SPDX 2.3 JSON document, as a string so its SHA-256 matches the manifest. */
  sbom: z.string().min(2),
  /** A Sigstore bundle (JSON object), e.g. from `cosign sign-blob --bundle`. */
  signatureBundle: z.record(z.string(), z.unknown()).optional(),
  /** The image contract the manifest names (its YAML text), to check the SBOM's packages against. */
  contract: z.string().min(2).max(262_144).optional(),
});

export const PromoteImageBody = z.strictObject({ to: z.enum(IMAGE_CHANNELS).optional() });

export const RollbackChannelBody = z.strictObject({});

export const RevokeImageBody = z.strictObject({
  reason: z.enum(['vulnerability', 'compromised_signature', 'compliance_failure', 'defective', 'superseded']),
  detail: z.string().min(1).max(2000),
  cveIds: z
    .array(z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,}$/, 'is not a CVE id'))
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a CVE')
    .default([]),
  effectiveAt: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  inheritedByDescendants: z.boolean().default(true),
});

/** Validates a request part; anything else is a 400 problem naming each bad field. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown, part: string): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `unknown ${part} field ${i.keys.join(', ')}`
      : `${i.path.join('.') || part}: ${i.message}`,
  );
  throw new ImageError('IMAGE.INVALID_REQUEST', `Invalid request: ${problems.join('; ')}`, {
    metadata: { problems },
  });
}

interface RequestWithPrincipal {
  readonly principal?: {
    readonly kind: ImageActor['kind'];
    readonly id: string;
    readonly displayName?: string;
  };
}

/**
 * Who acts: the authenticated principal once authentication sets `request.principal`; until
 * then, requests are attributed to an anonymous user.
 */
export function actorOf(request: object): ImageActor {
  const p = (request as RequestWithPrincipal).principal;
  if (!p) return { kind: 'user', id: 'anonymous' };
  return { kind: p.kind, id: p.id, ...(p.displayName ? { displayName: p.displayName } : {}) };
}
