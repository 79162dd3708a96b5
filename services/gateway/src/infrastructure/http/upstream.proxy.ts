import {
  delegatedPrincipalHeader,
  pageSizeFrom,
  PRINCIPAL_HEADER,
  type AuthenticatedPrincipal,
  type PageSizeLimits,
  type PrincipalTokenSigner,
} from '@rf/platform-auth';
import { CORRELATION_ID_HEADER } from '@rf/platform-observability';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { UpstreamName } from '../../gateway.config';
import { GatewayError } from '../../gateway.error';

/** Request headers worth passing on; credentials and hop-by-hop headers never are. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'traceparent',
  'tracestate',
] as const;

const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'cache-control',
  'content-disposition',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'vary',
] as const;

export interface UpstreamProxyOptions {
  readonly upstreams: Readonly<Record<UpstreamName, string>>;
  readonly timeoutMs: number;
  readonly pageLimits: PageSizeLimits;
}

/**
 * Forwards an authorised request to its service: the same path and query, the body as received,
 * the correlation id and trace context, and the caller as a principal token signed for that
 * service alone. Upstream answers (problems included) go back unchanged.
 */
export class UpstreamProxy {
  constructor(
    private readonly signer: PrincipalTokenSigner,
    private readonly options: UpstreamProxyOptions,
  ) {}

  async forward(
    upstream: UpstreamName,
    req: Request,
    res: Response,
    delegatesTo: readonly string[] = [],
  ): Promise<void> {
    const principal = (req as Request & { principal?: AuthenticatedPrincipal }).principal;
    if (!principal) throw new Error('the proxy runs only after the AuthGuard set the principal');
    if (req.method === 'GET') pageSizeFrom(req.query['limit'], this.options.pageLimits);

    const target = new URL(req.originalUrl, this.options.upstreams[upstream]);
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const correlationId = res.getHeader(CORRELATION_ID_HEADER);
    if (typeof correlationId === 'string') headers.set(CORRELATION_ID_HEADER, correlationId);
    headers.set(PRINCIPAL_HEADER, await this.signer.sign(principal, upstream));
    for (const service of delegatesTo) {
      headers.set(delegatedPrincipalHeader(service), await this.signer.sign(principal, service));
    }
    headers.set('x-forwarded-for', req.ip ?? req.socket.remoteAddress ?? '');
    headers.set('x-forwarded-proto', req.protocol);
    if (req.headers.host) headers.set('x-forwarded-host', req.headers.host);

    const body = req.body as unknown;
    const hasBody = Buffer.isBuffer(body) && body.length > 0 && req.method !== 'GET';
    let upstreamResponse: globalThis.Response;
    try {
      upstreamResponse = await fetch(target, {
        method: req.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        ...(hasBody ? { body: new Uint8Array(body) } : {}),
      });
    } catch (thrown: unknown) {
      const timedOut = thrown instanceof DOMException && thrown.name === 'TimeoutError';
      throw new GatewayError(
        timedOut ? 'GATEWAY.UPSTREAM_TIMEOUT' : 'GATEWAY.UPSTREAM_UNAVAILABLE',
        `the ${upstream} service ${timedOut ? 'did not answer in time' : 'is unreachable'}`,
        { cause: thrown, metadata: { upstream } },
      );
    }
    res.status(upstreamResponse.status);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstreamResponse.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    if (!upstreamResponse.body) {
      res.end();
      return;
    }
    await pipeline(Readable.fromWeb(upstreamResponse.body as WebReadableStream<Uint8Array>), res);
  }
}
