import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { AppError, type ErrorKind } from '@rf/platform-errors';
import type { Request, Response } from 'express';

const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance: string;
  readonly code: string;
  readonly correlationId?: string;
  readonly [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://resiliencefabric.io/problems/';

/**
 * The one HTTP error mapper: every failure leaves as RFC 9457 problem+json. Application errors keep
 * their code and safe metadata; framework errors (unknown route, malformed body, oversized payload)
 * keep their status; anything else is a 500 whose details stay in the log.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const problem = toProblem(error, req.originalUrl, (req as { id?: unknown }).id);
    if (problem.status >= 500) {
      this.logger.error({ err: error, code: problem.code }, `${req.method} ${req.originalUrl} failed`);
    }
    if (
      problem.status === 429 &&
      error instanceof AppError &&
      typeof error.metadata['retryAfterSeconds'] === 'number'
    ) {
      res.setHeader('Retry-After', String(error.metadata['retryAfterSeconds']));
    }
    res.status(problem.status).type('application/problem+json').json(problem);
  }
}

export function toProblem(error: unknown, instance: string, correlationId?: unknown): ProblemDetails {
  const base = { instance, ...(typeof correlationId === 'string' ? { correlationId } : {}) };
  if (error instanceof AppError) {
    const app = error as AppError;
    const status = STATUS_BY_KIND[app.kind];
    return {
      type: `${PROBLEM_BASE}${app.code.toLowerCase()}`,
      title: app.code,
      status,
      detail: status >= 500 ? 'The request could not be completed.' : app.message,
      code: app.code,
      ...(status < 500 && Object.keys(app.metadata).length > 0 ? { metadata: app.metadata } : {}),
      ...base,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const detail = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return {
      type: 'about:blank',
      title: httpTitle(status),
      status,
      detail: Array.isArray(detail) ? detail.join('; ') : typeof detail === 'string' ? detail : error.message,
      code: `HTTP.${status}`,
      ...base,
    };
  }
  // Errors raised by Express middleware (body parser) carry their own 4xx status.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      type: 'about:blank',
      title: httpTitle(status),
      status,
      detail: (error as Error).message,
      code: `HTTP.${status}`,
      ...base,
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    code: 'PLATFORM.UNEXPECTED',
    ...base,
  };
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
  };
  return titles[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
