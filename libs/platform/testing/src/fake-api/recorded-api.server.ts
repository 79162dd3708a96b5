import type { IncomingMessage } from 'node:http';
import { type JsonAnswer, LoopbackJsonServer } from './loopback-json.server';

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
export class RecordedApiServer extends LoopbackJsonServer {
  readonly received: ReceivedRequest[] = [];
  private readonly faults = new Map<string, Fault>();

  constructor(
    private readonly recording: Recording,
    options: { readonly tls?: boolean } = {},
  ) {
    super(options.tls === true);
  }

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

  protected async answer(req: IncomingMessage): Promise<JsonAnswer> {
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
