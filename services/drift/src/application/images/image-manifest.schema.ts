import { z } from 'zod';
import { ImageError } from '../../domain/images/image.error';
import { IMAGE_PLATFORMS } from '../../domain/images/platform-ref';

const FAMILY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/;

/**
 * The image manifest the pipeline signs with `cosign sign-blob` (ADR-003): what was built, where
 * its artifacts are, the SBOM's digest and the hardening result. The registry takes these facts
 * from the signed bytes only, so a verified signature covers all of them.
 */
export const ImageManifestSchema = z.strictObject({
  family: z.string().regex(FAMILY, 'lowercase letters, digits and dashes, at most 63'),
  version: z.string().regex(VERSION, 'letters, digits and . + _ -, at most 64'),
  parent: z.strictObject({ family: z.string().regex(FAMILY), version: z.string().regex(VERSION) }).optional(),
  os: z.strictObject({
    name: z.enum(['ubuntu', 'rhel', 'debian', 'amazon_linux', 'windows_server', 'other']),
    version: z.string().min(1).max(32),
  }),
  contractRef: z.string().min(1).max(256).optional(),
  /** SHA-256 (hex) of the contract file: binds the contract sent with a publication to the signature. */
  contractSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/u, 'lowercase hex SHA-256')
    .optional(),
  artifacts: z
    .array(
      z.strictObject({
        platform: z.enum(IMAGE_PLATFORMS),
        region: z.string().min(1).max(64).optional(),
        imageRef: z.string().min(1).max(512),
      }),
    )
    .min(1),
  sbom: z.strictObject({
    format: z.literal('spdx-2.3+json'),
    uri: z.url().max(2048),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex SHA-256'),
  }),
  hardening: z.strictObject({
    profile: z.literal('cis'),
    level: z.union([z.literal(1), z.literal(2)]),
    score: z.int().min(0).max(100),
  }),
  provenance: z
    .strictObject({ slsaLevel: z.int().min(0).max(3), builderId: z.string().min(1).max(512) })
    .optional(),
  builtAt: z.iso.datetime({ offset: true }),
});

export type ImageManifest = z.infer<typeof ImageManifestSchema>;

/** Parses the manifest text; every problem is named in one IMAGE.MANIFEST_INVALID. */
export function parseImageManifest(text: string): ImageManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    throw new ImageError(
      'IMAGE.MANIFEST_INVALID',
      `The image manifest is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = ImageManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`);
  throw new ImageError('IMAGE.MANIFEST_INVALID', `Invalid image manifest: ${problems.join('; ')}`, {
    metadata: { problems },
  });
}
