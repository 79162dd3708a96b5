import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_TLS } from './loopback-tls';

/** One recorded exchange: a request (method, path, the query parameters that select it) and its answer. */
export interface RecordedInteraction {
  readonly method: string;
  readonly path: string;
  /** Query parameters the request must carry; others are ignored. */
  readonly query?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; the string `{{base}}` stands for this server's URL (next-page links). */
  readonly body?: unknown;
}

export interface Recording {
  /** Documentation pages the recorded shapes follow. */
  readonly sources: readonly string[];
  readonly interactions: readonly RecordedInteraction[];
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
}

interface Fault {
  left: number;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * Serves recorded provider responses on loopback so a cloud SDK runs its real HTTP path (paging,
 * error decoding) against documented response shapes. Unknown requests get a 404 naming them, so a
 * test fails loudly when the SDK asks for something the recording lacks.
 */
export class RecordedApiServer {
  readonly received: ReceivedRequest[] = [];
  private readonly faults = new Map<string, Fault>();
  private server: Server | undefined;
  private base = '';

  constructor(
    private readonly recording: Recording,
    private readonly options: { readonly tls?: boolean } = {},
  ) {}

  /** Answers the next `times` requests to `method path` with a fault (throttling, outage). */
  failNext(method: string, path: string, times: number, fault: Omit<Fault, 'left'>): void {
    this.faults.set(`${method} ${path}`, { left: times, ...fault });
  }

  requests(method: string, path: string): ReceivedRequest[] {
    return this.received.filter((r) => r.method === method && r.path === path);
  }

  reset(): void {
    this.received.length = 0;
    this.faults.clear();
  }

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.answer(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      });
    };
    const server: Server =
      this.options.tls === true ? createTlsServer(LOOPBACK_TLS, handler) : createServer(handler);
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
    // Drain the body: recordings select by method, path and query only.
    await new Promise<void>((resolve) => req.resume().on('end', resolve));
    const url = new URL(req.url ?? '/', this.base);
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams.entries());
    const authorization = req.headers.authorization;
    this.received.push({ method, path: url.pathname, query, authorization });
    const fault = this.faults.get(`${method} ${url.pathname}`);
    if (fault !== undefined && fault.left > 0) {
      fault.left -= 1;
      return { status: fault.status, headers: { ...fault.headers }, body: JSON.stringify(fault.body) };
    }
    const match = this.recording.interactions
      .filter((i) => i.method === method && i.path === url.pathname)
      .filter((i) => Object.entries(i.query ?? {}).every(([key, value]) => query[key] === value))
      .sort((a, b) => Object.keys(b.query ?? {}).length - Object.keys(a.query ?? {}).length)[0];
    if (match === undefined) {
      return {
        status: 404,
        headers: {},
        body: JSON.stringify({
          error: { code: 'NotRecorded', message: `${method} ${url.pathname}${url.search}` },
        }),
      };
    }
    const body = match.body === undefined ? '' : JSON.stringify(match.body).replaceAll('{{base}}', this.base);
    return { status: match.status, headers: { ...match.headers }, body };
  }
}
