import { execFileSync } from 'node:child_process';

export interface BaselineSchema {
  readonly subject: string;
  readonly schema: string;
}

const SCHEMA_FILE = /^contracts\/events\/[^/]+\.v\d+\.schema\.json$/;

/**
 * The event schemas as they were at a git revision, in the form the registry stores them (without
 * `$schema`), keyed by subject (the event type). Null when the revision does not exist, e.g. in the
 * first commit or a shallow clone.
 */
export function baselineSchemasAt(repoRoot: string, ref: string): BaselineSchema[] | null {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  } catch {
    return null;
  }
  return git('ls-tree', '-r', '--name-only', ref, 'contracts/events/')
    .split('\n')
    .filter((path) => SCHEMA_FILE.test(path))
    .map((path) => {
      const schema = JSON.parse(git('show', `${ref}:${path}`)) as Record<string, unknown>;
      const type = (schema['x-rf'] as { type?: unknown } | undefined)?.type;
      if (typeof type !== 'string') throw new Error(`${ref}:${path} has no x-rf.type`);
      delete schema['$schema'];
      return { subject: type, schema: JSON.stringify(schema) };
    });
}
