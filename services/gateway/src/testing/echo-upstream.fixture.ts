import {
  type AuthenticatedPrincipal,
  DEVELOPMENT_PRINCIPAL_PUBLIC_KEY,
  PRINCIPAL_HEADER,
  PrincipalTokenVerifier,
} from '@rf/platform-auth';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly principal: AuthenticatedPrincipal;
}

/**
 * A service behind the gateway that checks the forwarded principal as a real one would (the
 * gateway's key, its own audience) and records what reached it.
 */
export class EchoUpstream {
  url = '';
  readonly received: ReceivedRequest[] = [];
  private readonly verifier: PrincipalTokenVerifier;
  private readonly server: Server;

  constructor(readonly service: string) {
    this.verifier = new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, service);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const token = req.headers[PRINCIPAL_HEADER];
        this.verifier.verify(typeof token === 'string' ? token : '').then(
          (principal) => {
            const body = Buffer.concat(chunks);
            this.received.push({
              method: req.method ?? '',
              url: req.url ?? '',
              headers: req.headers,
              body,
              principal,
            });
            res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"', 'x-internal': 'dropped' });
            res.end(JSON.stringify({ service, url: req.url, principal: principal.id, org: principal.org }));
          },
          () => {
            res.writeHead(401, { 'content-type': 'application/problem+json' });
            res.end(JSON.stringify({ status: 401, code: 'AUTH.TOKEN_INVALID' }));
          },
        );
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  find(correlationId: string): ReceivedRequest | undefined {
    return this.received.find((r) => r.headers['x-correlation-id'] === correlationId);
  }
}
