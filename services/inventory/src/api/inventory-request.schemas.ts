import { z } from 'zod';
import { SCAN_STATUSES } from '../application/ports/scan.repository.port';
import { ASSET_STATES } from '../domain/asset/asset-state';
import { PLATFORMS } from '../domain/asset/platform';
import { InventoryError } from '../domain/inventory.error';

/** The largest page any list returns; a larger `limit` is a 400, not silently clamped. */
export const MAX_PAGE_SIZE = 1_000;
export const DEFAULT_PAGE_SIZE = 100;

const limit = z
  .string()
  .regex(/^[1-9][0-9]{0,6}$/u, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`))
  .default(DEFAULT_PAGE_SIZE)
  .meta({ description: `Page size, at most ${MAX_PAGE_SIZE}` });

const cursor = z
  .string()
  .min(1)
  .max(1024)
  .optional()
  .meta({ description: 'The `nextCursor` of the previous page' });

const text = (description: string) => z.string().min(1).max(512).optional().meta({ description });

export const IdParams = z.object({ id: z.uuid() });

export const ListAssetsQuery = z.strictObject({
  platform: z.enum(PLATFORMS).optional(),
  environment: text('Exact environment, e.g. `prod`'),
  site: text('Exact site'),
  image: text('An image reference, or an image family (matches every version)'),
  state: z.enum(ASSET_STATES).optional(),
  limit,
  cursor,
});

export const ListConnectorsQuery = z.strictObject({ limit, cursor });

export const ListScansQuery = z.strictObject({
  connectorId: z.uuid().optional(),
  status: z.enum(SCAN_STATUSES).optional(),
  limit,
  cursor,
});

const connectorName = z.string().trim().min(1).max(200);
const settings = z
  .record(z.string(), z.unknown())
  .meta({ description: "Non-secret settings, validated by the kind's schema" });
const credentials = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/u), z.string().min(1).max(2048))
  .meta({
    description: 'Credential name → reference (`env:NAME` or `file:/absolute/path`); a secret is refused',
  });
const schedule = z
  .string()
  .max(200)
  .nullable()
  .meta({ description: 'Cron expression in UTC (5 fields, or 6 with seconds); null scans only on demand' });

export const CreateConnectorBody = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/u),
  name: connectorName,
  settings: settings.default({}),
  credentials: credentials.default({}),
  schedule: schedule.default(null),
  enabled: z.boolean().default(true),
});

export const UpdateConnectorBody = z
  .strictObject({
    name: connectorName.optional(),
    settings: settings.optional(),
    credentials: credentials.optional(),
    schedule: schedule.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' });

/**
 * Validates path, query or body input. Anything else is a 400 problem listing each invalid field; a
 * rejected value is never echoed back (it may be a pasted secret).
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [...issue.path, key].join('.'),
        message: 'is not a known field',
      }));
    }
    return [{ field: issue.path.map(String).join('.') || '(body)', message: issue.message }];
  });
  throw new InventoryError(
    'INVENTORY.INVALID_REQUEST',
    `Invalid request: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
    { metadata: { errors } },
  );
}
