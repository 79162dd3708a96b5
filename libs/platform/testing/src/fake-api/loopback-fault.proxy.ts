import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Names the provider operation of a request, e.g. `DescribeInstances` or `RetrievePropertiesEx`. */
export type OperationOf = (method: string, path: string, body: string) => string;

/**
 * A loopback hop in front of a real provider peer (moto, vcsim) for tests: it records each
 * operation and answers chosen ones with a canned fault (throttling, unavailability) before letting
 * the rest through unchanged, so the connector's real HTTP path meets real provider errors.
 */
export class LoopbackFaultProxy {
  readonly operations: string[] = [];
  private readonly faults = new Map<string, { left: number; response: CannedResponse }>();
  private server: Server | undefined;

  constructor(
    private readonly upstream: string,
    private readonly operationOf: OperationOf,
  ) {}

  failNext(operation: string, times: number, response: CannedResponse): void {
    this.faults.set(operation, { left: times, response });
  }

  count(operation: string): number {
    return this.operations.filter((o) => o === operation).length;
  }

  reset(): void {
    this.operations.length = 0;
    this.faults.clear();
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, headers, body }) => {
          res.writeHead(status, headers);
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(String(error));
        },
      );
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const { server } = this;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const operation = this.operationOf(method, path, body.toString('utf8'));
    this.operations.push(operation);
    const fault = this.faults.get(operation);
    if (fault !== undefined && fault.left > 0) {
      fault.left -= 1;
      return {
        status: fault.response.status,
        headers: { ...fault.response.headers },
        body: Buffer.from(fault.response.body),
      };
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && key !== 'host' && key !== 'content-length' && key !== 'connection') {
        headers.set(key, value);
      }
    }
    const upstream = await fetch(`${this.upstream}${path}`, {
      method,
      headers,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
    });
    const answer: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (
        key !== 'content-length' &&
        key !== 'transfer-encoding' &&
        key !== 'content-encoding' &&
        key !== 'connection'
      ) {
        answer[key] = value;
      }
    });
    const setCookies = upstream.headers.getSetCookie();
    if (setCookies.length > 0) answer['set-cookie'] = setCookies.join(', ');
    return { status: upstream.status, headers: answer, body: Buffer.from(await upstream.arrayBuffer()) };
  }
}
