import type { IncomingMessage } from 'node:http';
import { type JsonAnswer, LoopbackJsonServer } from './loopback-json.server';

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
export class ScriptedApiServer extends LoopbackJsonServer {
  readonly received: ScriptedRequest[] = [];
  private readonly faults: Fault[] = [];

  constructor(
    private readonly handler: ScriptedHandler,
    options: { readonly tls?: boolean } = {},
  ) {
    super(options.tls === true);
  }

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

  protected async answer(req: IncomingMessage): Promise<JsonAnswer> {
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
