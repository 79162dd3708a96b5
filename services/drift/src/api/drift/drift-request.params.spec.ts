import { DriftEngineError } from '../../domain/drift/drift-engine.error';
import { DriftReportQuery, DriftTrendQuery, parseDriftRequest } from './drift-request.params';

describe('drift request parameters', () => {
  it('accepts a filter and defaults the asset list length', () => {
    expect(parseDriftRequest(DriftReportQuery, { env: 'prod', platform: 'aws', site: 'london' })).toEqual({
      env: 'prod',
      platform: 'aws',
      site: 'london',
      limit: 100,
    });
  });

  it.each([
    [{ platform: 'mars' }, 'platform'],
    [{ env: 'Prod' }, 'env'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: '-1' }, 'limit'],
    [{ colour: 'red' }, 'colour'],
  ])('rejects %j naming %s', (query, parameter) => {
    let error: unknown;
    try {
      parseDriftRequest(DriftReportQuery, query);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(DriftEngineError);
    expect((error as DriftEngineError).kind).toBe('invalid');
    expect((error as DriftEngineError).metadata['parameters']).toContain(parameter);
  });

  it('takes a trend range, rejecting an inverted or over-long one', () => {
    expect(
      parseDriftRequest(DriftTrendQuery, { from: '2026-01-01', to: '2026-01-08T00:00:00Z' }),
    ).toMatchObject({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 0, 8),
      limit: 1_000,
    });
    expect(() => parseDriftRequest(DriftTrendQuery, { from: '2026-02-01', to: '2026-01-01' })).toThrow(
      /from/,
    );
    expect(() => parseDriftRequest(DriftTrendQuery, { from: '2024-01-01', to: '2026-01-01' })).toThrow(
      /366 days/,
    );
    expect(() => parseDriftRequest(DriftTrendQuery, { from: 'yesterday' })).toThrow(DriftEngineError);
  });
});
