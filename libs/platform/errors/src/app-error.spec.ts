import { AppError, toAppError } from './app-error';

class DriftError extends AppError<'DRIFT.UNKNOWN_IMAGE_FAMILY' | 'DRIFT.REGISTRY_DOWN'> {}

describe('AppError', () => {
  it('carries a namespaced code, kind, retriability and metadata', () => {
    const error = new DriftError('DRIFT.UNKNOWN_IMAGE_FAMILY', 'no family ubuntu-99', {
      kind: 'not_found',
      metadata: { family: 'ubuntu-99' },
    });
    expect(error).toBeInstanceOf(AppError);
    expect(error.name).toBe('DriftError');
    expect([error.code, error.kind, error.retriable]).toEqual([
      'DRIFT.UNKNOWN_IMAGE_FAMILY',
      'not_found',
      false,
    ]);
    expect(error.metadata).toEqual({ family: 'ubuntu-99' });
  });

  it('treats unavailability as retriable unless told otherwise', () => {
    expect(new DriftError('DRIFT.REGISTRY_DOWN', 'down', { kind: 'unavailable' }).retriable).toBe(true);
    expect(
      new DriftError('DRIFT.REGISTRY_DOWN', 'down', { kind: 'unavailable', retriable: false }).retriable,
    ).toBe(false);
  });

  it('refuses a code without a namespace', () => {
    expect(() => new AppError('BROKEN', 'x')).toThrow(/namespaced/);
  });

  it('normalises foreign errors and keeps the cause', () => {
    const cause = new RangeError('boom');
    const error = toAppError(cause);
    expect([error.code, error.kind, error.message, error.cause]).toEqual([
      'PLATFORM.UNEXPECTED',
      'internal',
      'boom',
      cause,
    ]);
    expect(toAppError(error)).toBe(error);
  });
});
