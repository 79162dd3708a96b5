import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_TLS } from './loopback-tls';

export interface JsonAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A JSON API on a free loopback port, over HTTP or (with the loopback certificate) HTTPS. Subclasses
 * decide each answer; `base` is the server's own URL once started.
 */
export abstract class LoopbackJsonServer {
  protected base = '';
  private server: Server | undefined;

  protected constructor(private readonly tls: boolean) {}

  async start(): Promise<string> {
    const handle = (req: IncomingMessage, res: ServerResponse): void => {
      void this.answer(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body);
      });
    };
    const server: Server = this.tls ? createTlsServer(LOOPBACK_TLS, handle) : createServer(handle);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.base = `${this.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    const { server } = this;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected abstract answer(req: IncomingMessage): Promise<JsonAnswer>;
}
