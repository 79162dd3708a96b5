import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { AppError } from '@rf/platform-errors';
import { catchError, type Observable, throwError } from 'rxjs';
import type { AuthenticatedPrincipal } from '../authenticated-principal';

interface RecordRequest {
  method?: string;
  originalUrl?: string;
  params?: Record<string, string | undefined>;
  principal?: AuthenticatedPrincipal;
}

/**
 * Logs, at warn, every lookup by id that found no record in the caller's organisation: a record of
 * another tenant answers exactly like a missing one (404), so each miss is logged with the caller,
 * the organisation it asked from and the id, never a payload. Records are looked up only within the
 * caller's organisation, so the log never says whether the id exists elsewhere.
 */
@Injectable()
export class TenantRecordMissInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Tenancy');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RecordRequest>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const principal = request.principal;
        const ids = Object.entries(request.params ?? {}).filter(([, value]) => value !== undefined);
        const failure: AppError | undefined = error instanceof AppError ? error : undefined;
        if (failure?.kind === 'not_found' && principal && ids.length > 0) {
          this.logger.warn(
            {
              event: 'tenancy.record_not_found',
              principal: principal.id,
              principalOrg: principal.org,
              code: failure.code,
              ids: Object.fromEntries(ids),
              method: request.method,
              path: request.originalUrl,
            },
            'no such record in the caller organisation',
          );
        }
        return throwError(() => error);
      }),
    );
  }
}
