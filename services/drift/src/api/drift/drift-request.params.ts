import { z } from 'zod';
import { DriftEngineError } from '../../domain/drift/drift-engine.error';

const PLATFORMS = ['aws', 'azure', 'gcp', 'vsphere', 'simulated', 'file'] as const;
const DAY_MS = 86_400_000;
const MAX_TREND_RANGE_MS = 366 * DAY_MS;

const filter = {
  env: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/u, 'must be an environment name like prod')
    .optional(),
  platform: z.enum(PLATFORMS).optional(),
  site: z.string().min(1).max(128).optional(),
};

const count = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,5})$/u, 'must be a non-negative integer')
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`)
    .optional()
    .transform((n) => n ?? fallback);

const instant = z
  .string()
  .refine(
    (text) =>
      /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/u.test(text) && !Number.isNaN(Date.parse(text)),
    {
      message: 'must be an RFC 3339 date-time or a date',
    },
  )
  .transform((text) => Date.parse(text));

export const DriftReportQuery = z.strictObject({ ...filter, limit: count(1_000, 100) });

export const DriftTrendQuery = z
  .strictObject({ ...filter, from: instant.optional(), to: instant.optional(), limit: count(10_000, 1_000) })
  .transform((q, ctx) => {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - 7 * DAY_MS;
    if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    else if (to - from > MAX_TREND_RANGE_MS) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'the range must not exceed 366 days' });
    }
    return { ...q, from, to };
  });

/** Validates query parameters; anything else is a 400 problem naming each bad parameter. */
export function parseDriftRequest<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `unknown parameter ${i.keys.join(', ')}`
      : `${i.path.join('.')}: ${i.message}`,
  );
  throw new DriftEngineError('DRIFT.INVALID_REPORT_REQUEST', `Invalid request: ${problems.join('; ')}`, {
    metadata: {
      parameters: result.error.issues
        .flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [i.path.join('.') || '(query)']))
        .join(','),
    },
  });
}
