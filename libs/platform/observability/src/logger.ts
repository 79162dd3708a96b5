import { trace } from '@opentelemetry/api';
import type { Params } from 'nestjs-pino';
import { correlationIdFor } from './correlation-id';

export interface LoggerSettings {
  readonly service: string;
  readonly level: string;
  readonly pretty?: boolean;
}

/** JSON logs keyed by correlation id, with the active trace id so logs and traces join up. */
export function loggerParams(settings: LoggerSettings): Params {
  return {
    pinoHttp: {
      level: settings.level,
      base: { service: settings.service },
      genReqId: (req, res) => correlationIdFor(req, res),
      customAttributeKeys: { reqId: 'correlationId' },
      autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'] },
      mixin: () => {
        const span = trace.getActiveSpan()?.spanContext();
        return span ? { traceId: span.traceId, spanId: span.spanId } : {};
      },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      },
    },
  };
}
