import { type CallHandler, type ExecutionContext, Logger } from '@nestjs/common';
import { AppError } from '@rf/platform-errors';
import { firstValueFrom, throwError } from 'rxjs';
import { TenantRecordMissInterceptor } from './tenant-record-miss.interceptor';

function httpContext(request: object): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

const failing = (error: unknown): CallHandler => ({ handle: () => throwError(() => error) });

describe('TenantRecordMissInterceptor', () => {
  const principal = { id: 'engineer-1', org: 'acme', kind: 'user', grants: [], authMethod: 'oidc' };
  const request = {
    method: 'GET',
    originalUrl: '/api/v1/connectors/c-1',
    params: { id: 'c-1' },
    principal,
  };

  afterEach(() => jest.restoreAllMocks());

  it('logs a lookup by id that found nothing in the caller organisation, and rethrows it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const missing = new AppError('INVENTORY.CONNECTOR_NOT_FOUND', 'No connector c-1', { kind: 'not_found' });
    await expect(
      firstValueFrom(new TenantRecordMissInterceptor().intercept(httpContext(request), failing(missing))),
    ).rejects.toBe(missing);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toEqual({
      event: 'tenancy.record_not_found',
      principal: 'engineer-1',
      principalOrg: 'acme',
      code: 'INVENTORY.CONNECTOR_NOT_FOUND',
      ids: { id: 'c-1' },
      method: 'GET',
      path: '/api/v1/connectors/c-1',
    });
  });

  it('logs nothing for other failures, or for a request without an id or a caller', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const interceptor = new TenantRecordMissInterceptor();
    const conflict = new AppError('INVENTORY.SCAN_ALREADY_RUNNING', 'busy', { kind: 'conflict' });
    const missing = new AppError('X.NOT_FOUND', 'gone', { kind: 'not_found' });
    for (const [req, error] of [
      [request, conflict],
      [{ ...request, params: {} }, missing],
      [{ ...request, principal: undefined }, missing],
    ] as const) {
      await expect(firstValueFrom(interceptor.intercept(httpContext(req), failing(error)))).rejects.toBe(
        error,
      );
    }
    expect(warn).not.toHaveBeenCalled();
  });
});
