import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_TLS } from './loopback-tls';

/** A request as the scripted API sees it: path without query, query parameters, parsed JSON body. */
export interface ScriptedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON; undefined sends an empty body. */
  readonly body?: unknown;
}

/** Answers a request, or undefined for one the fake does not know (a 404 naming it). */
export type ScriptedHandler = (request: ScriptedRequest, base: string) => ScriptedResponse | undefined;

interface Fault {
  left: number;
  readonly matches: (request: ScriptedRequest) => boolean;
  readonly response: ScriptedResponse;
}

/**
 * A loopback HTTP(S) server whose answers come from a handler holding state, so a fake of a cloud
 * API can model long-running operations and resources that change as a real SDK drives them. Faults
 * (throttling, outages) can be put in front of chosen requests; every request is kept for assertions.
 */
export class ScriptedApiServer {
  readonly received: ScriptedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  private base = '';

  constructor(
    private readonly handler: ScriptedHandler,
    private readonly options: { readonly tls?: boolean } = {},
  ) {}

  /** Answers the next `times` requests that `matches` selects with `response` instead of the handler. */
  failNext(matches: (request: ScriptedRequest) => boolean, times: number, response: ScriptedResponse): void {
    this.faults.push({ left: times, matches, response });
  }

  requests(filter: (request: ScriptedRequest) => boolean): ScriptedRequest[] {
    return this.received.filter(filter);
  }

  reset(): void {
    this.received.length = 0;
    this.faults.length = 0;
  }

  async start(): Promise<string> {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      void this.answer(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      });
    };
    const server: Server =
      this.options.tls === true ? createTlsServer(LOOPBACK_TLS, handle) : createServer(handle);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const scheme = this.options.tls === true ? 'https' : 'http';
    this.base = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const { server } = this;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.base);
    let body: unknown = undefined;
    if (text.length > 0) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    const request: ScriptedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      body,
      authorization: req.headers.authorization,
    };
    this.received.push(request);
    const fault = this.faults.find((f) => f.left > 0 && f.matches(request));
    let response: ScriptedResponse | undefined;
    if (fault !== undefined) {
      fault.left -= 1;
      response = fault.response;
    } else {
      try {
        response = this.handler(request, this.base);
      } catch (error: unknown) {
        response = { status: 500, body: { error: { code: 'FakeFailed', message: String(error) } } };
      }
    }
    response ??= {
      status: 404,
      body: { error: { code: 'NotScripted', message: `${request.method} ${url.pathname}${url.search}` } },
    };
    return {
      status: response.status,
      headers: { ...response.headers },
      body: response.body === undefined ? '' : JSON.stringify(response.body),
    };
  }
}
