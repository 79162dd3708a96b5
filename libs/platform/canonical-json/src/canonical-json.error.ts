import { AppError } from '@rf/platform-errors';

/** A value with no RFC 8785 canonical form; `path` says where, as `$.a[2].b`. */
export class CanonicalJsonError extends AppError<'CANONICAL_JSON.INVALID'> {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super('CANONICAL_JSON.INVALID', `not JSON at ${path}: ${problem}`, {
      kind: 'invalid',
      metadata: { path },
    });
  }
}
