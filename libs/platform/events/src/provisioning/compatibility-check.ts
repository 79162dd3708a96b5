import { randomUUID } from 'node:crypto';
import { type SchemaSubject, SchemaPublisher } from './schema-publisher';

export interface CompatibilityFinding {
  readonly subject: string;
  readonly compatible: boolean;
}

/**
 * Checks each current schema against its baseline (e.g. the last released contracts) under BACKWARD
 * compatibility, using the registry's own rules on scratch subjects that are deleted afterwards. A
 * subject without a baseline is new, and compatible by definition.
 */
export async function checkBackwardCompatibility(
  registryUrl: string,
  baseline: readonly SchemaSubject[],
  current: readonly SchemaSubject[],
): Promise<CompatibilityFinding[]> {
  const publisher = new SchemaPublisher(registryUrl, 'BACKWARD');
  const run = randomUUID().slice(0, 8);
  const before = new Map(baseline.map((s) => [s.subject, s.schema]));
  const findings: CompatibilityFinding[] = [];
  const scratch: string[] = [];
  try {
    for (const { subject, schema } of current) {
      const previous = before.get(subject);
      if (previous === undefined || previous === schema) {
        findings.push({ subject, compatible: true });
        continue;
      }
      const probe = `rf.compat-check.${run}.${subject}`;
      scratch.push(probe);
      await publisher.register([{ subject: probe, schema: previous }]);
      findings.push({ subject, compatible: await publisher.isCompatible({ subject: probe, schema }) });
    }
  } finally {
    for (const subject of scratch) await deleteSubject(registryUrl, subject);
  }
  return findings;
}

async function deleteSubject(registryUrl: string, subject: string): Promise<void> {
  const base = `${registryUrl.replace(/\/$/, '')}/subjects/${encodeURIComponent(subject)}`;
  await fetch(base, { method: 'DELETE' }).catch(() => undefined);
  await fetch(`${base}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
}
