import { z } from 'zod';
import { RemediationError } from '../domain/remediation.error';

const uuid = z.uuid();
const actor = z.object({
  kind: z.enum(['user', 'service', 'policy', 'schedule']),
  id: z.string().min(1).max(200),
  displayName: z.string().max(200).optional(),
});
const unit = z.number().min(0).max(1);

/** A vulnerability report or an operator's request: which assets move to which version, and why. */
export const CreatePlanBody = z.object({
  idempotencyKey: z.string().min(1).max(200).optional(),
  family: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/u),
  toVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/u),
  imageVersionId: uuid.optional(),
  environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/u),
  assetIds: z.array(uuid).min(1).max(10_000),
  vulnerability: z
    .object({ id: z.string().min(1).max(100), severity: unit, exploitability: unit })
    .optional(),
  factors: z
    .object({
      severity: unit,
      exploitability: unit,
      assetCriticality: unit,
      patchMaturity: unit,
      dependencies: unit,
      rollbackComplexity: unit,
    })
    .partial()
    .optional(),
  complianceImpact: unit.default(0),
  fleetSize: z.number().int().min(1).optional(),
  wavePolicy: z
    .object({
      canaryPercent: z.number(),
      growthFactor: z.number(),
      waveCount: z.number().int(),
      maxWaveSize: z.number().int(),
      maxConcurrency: z.number().int(),
      errorThresholdPercent: z.number(),
      soakSeconds: z.number().int(),
    })
    .partial()
    .optional(),
  requestedBy: actor.optional(),
});
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;

export const ApproveBody = z.object({ approver: actor.optional(), comment: z.string().max(2000).optional() });
export const SteerBody = z.object({
  actor: actor.optional(),
  reason: z.string().min(1).max(2000).optional(),
});
export const OverrideBody = z.object({
  autonomyLevel: z.number().int().min(0).max(5),
  strategy: z.enum(['canary', 'rolling', 'blue_green', 'manual']).optional(),
  reason: z.string().min(1).max(2000),
  by: actor.optional(),
});
export const IdParam = z.object({ id: uuid });

/** Parses a request part, or fails with every problem listed (400 problem+json). */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  throw new RemediationError('REMEDIATION.INVALID_INPUT', `invalid ${what}: ${problems.join('; ')}`, {
    kind: 'invalid',
    metadata: { problems },
  });
}
