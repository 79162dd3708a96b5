import { decodeStrictBase64, HASH_SIZE, LedgerError } from '@rf/platform-ledger-proof';
import { z } from 'zod';

const integer = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

/** A leaf hash in lower-case hex, or in standard base64 as RFC 6962 logs take it. */
const leafHash = z.string().transform((text, ctx) => {
  const bytes = /^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : decodeStrictBase64(text);
  if (bytes?.length !== HASH_SIZE) {
    ctx.addIssue({ code: 'custom', message: 'must be a SHA-256 hash in hex or base64' });
    return z.NEVER;
  }
  return bytes;
});

const sizes = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(,(0|[1-9][0-9]*))*$/, 'must be comma-separated non-negative integers')
  .transform((text) => text.split(',').map(Number))
  .refine((list) => list.length <= 64 && list.every(Number.isSafeInteger), 'at most 64 safe integers');

export const EntryParams = z.object({ index: integer });

export const InclusionProofQuery = z.strictObject({ leaf_hash: leafHash, tree_size: integer.optional() });

export const ConsistencyProofQuery = z.strictObject({ first: integer, second: integer.optional() });

export const AuditBundleQuery = z
  .strictObject({
    from: integer.default(0),
    to: integer.optional(),
    /** Sizes of checkpoints the auditor saved; the bundle links them to the head. */
    trusted: sizes.optional(),
  })
  .refine((q) => q.to === undefined || q.to >= q.from, { message: 'must not be below from', path: ['to'] });

/** Validates path or query parameters; anything else is a 400 problem naming each bad parameter. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => {
    const name = i.path.join('.');
    return i.code === 'unrecognized_keys'
      ? `unknown parameter ${i.keys.join(', ')}`
      : `${name}: ${i.message}`;
  });
  throw new LedgerError('LEDGER.INVALID_REQUEST', `Invalid request: ${problems.join('; ')}`, {
    metadata: { parameters: result.error.issues.map((i) => i.path.join('.') || '(query)').join(',') },
  });
}

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

/** Body of POST /api/v1/ledger/evidence-packs. */
export const EvidencePackRequest = z
  .strictObject({
    from: instant,
    to: instant,
    environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an environment name, e.g. prod'),
  })
  .refine((q) => q.from.getTime() < q.to.getTime(), { message: 'must be after from', path: ['to'] });

export const CheckpointParams = z.strictObject({ size: integer });

/** Body of POST /api/v1/ledger/checkpoint/cosignatures: the checkpoint note with the witness's signature added. */
export const CosignatureRequest = z.strictObject({
  note: z
    .string()
    .min(1)
    .max(1 << 16),
});
