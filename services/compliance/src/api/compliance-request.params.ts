import { z } from 'zod';
import { ComplianceError } from '../domain/compliance.error';

export const SubjectParams = z.strictObject({
  kind: z.enum(['asset', 'environment', 'organisation']),
  id: z.string().min(1).max(200),
});

export const BadgeParams = z.strictObject({
  kind: z.enum(['asset', 'environment', 'organisation']),
  file: z.string().regex(/^.{1,200}\.(svg|json)$/, 'must be <id>.svg or <id>.json'),
});

export const TrendQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'must be an integer from 1 to 9999')
    .transform(Number)
    .default(100),
});

/** Validates path or query parameters; anything else is a 400 problem naming each bad parameter. */
export function parseRequest<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) =>
    i.code === 'unrecognized_keys'
      ? `unknown parameter ${i.keys.join(', ')}`
      : `${i.path.join('.')}: ${i.message}`,
  );
  throw new ComplianceError('COMPLIANCE.INVALID_REQUEST', `Invalid request: ${problems.join('; ')}`);
}
