const MASK = '***';

/** Masks the password of a URL and leaves the rest readable, so logs still show where a service connects. */
export function maskUrlCredentials(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = MASK;
    return url.toString();
  } catch {
    return MASK;
  }
}

/** Returns a copy of `config` in which every value at a path listed in `secretPaths` is masked. */
export function maskSecrets<T extends object>(config: T, secretPaths: readonly string[]): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of secretPaths) {
    const keys = path.split('.');
    const last = keys.pop();
    let node: unknown = copy;
    for (const key of keys) node = isRecord(node) ? node[key] : undefined;
    if (!isRecord(node) || last === undefined || node[last] === undefined) continue;
    const value = node[last];
    node[last] = typeof value === 'string' && value.includes('://') ? maskUrlCredentials(value) : MASK;
  }
  return copy as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
