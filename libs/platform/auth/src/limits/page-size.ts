import { AuthError } from '../auth.error';

export interface PageSizeLimits {
  readonly defaultSize: number;
  readonly maxSize: number;
}

export const DEFAULT_PAGE_SIZE_LIMITS: PageSizeLimits = { defaultSize: 50, maxSize: 500 };

/**
 * The page size a list endpoint may serve: the default when absent, a 400 problem when it is not a
 * positive integer or exceeds the cap (never silently clamped, so a client sees why it got fewer).
 */
export function pageSizeFrom(value: unknown, limits: PageSizeLimits = DEFAULT_PAGE_SIZE_LIMITS): number {
  if (value === undefined || value === '') return limits.defaultSize;
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  if (text === undefined || !/^[1-9]\d{0,8}$/u.test(text)) {
    throw new AuthError('LIMIT.PAGE_SIZE_EXCEEDED', 'limit must be a positive integer', {
      metadata: { maxPageSize: limits.maxSize },
    });
  }
  const size = Number(text);
  if (size > limits.maxSize) {
    throw new AuthError(
      'LIMIT.PAGE_SIZE_EXCEEDED',
      `limit ${size} exceeds the maximum page size ${limits.maxSize}`,
      {
        metadata: { maxPageSize: limits.maxSize },
      },
    );
  }
  return size;
}
