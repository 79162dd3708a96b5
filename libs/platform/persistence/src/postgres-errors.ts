/** PostgreSQL's SQLSTATE of an error thrown by pg, directly or wrapped by TypeORM's QueryFailedError. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const failure = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = failure.code ?? failure.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A row collided with a unique index (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}
