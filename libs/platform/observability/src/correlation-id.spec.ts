import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_ID_HEADER, correlationIdFor } from './correlation-id';

function exchange(header?: string) {
  const headers: Record<string, string> = {};
  const req = { headers: header === undefined ? {} : { [CORRELATION_ID_HEADER]: header } } as IncomingMessage;
  const res = { setHeader: (k: string, v: string) => (headers[k] = v) } as unknown as ServerResponse;
  return { id: correlationIdFor(req, res), echoed: headers[CORRELATION_ID_HEADER] };
}

describe('correlationIdFor', () => {
  it('reuses a well-formed incoming id and echoes it', () => {
    expect(exchange('req-42')).toEqual({ id: 'req-42', echoed: 'req-42' });
  });

  it('replaces a missing or unsafe id with a fresh uuid', () => {
    for (const bad of [undefined, 'has spaces', 'x'.repeat(200), 'a\nb']) {
      const { id, echoed } = exchange(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(echoed).toBe(id);
    }
  });
});
