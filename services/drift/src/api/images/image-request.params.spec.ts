import { decodeCursor, encodeCursor } from '../../application/images/queries/list-images/list-images.handler';
import { actorOf, ListImagesQuerySchema, parseRequest, RevokeImageBody } from './image-request.params';

describe('image request parsing', () => {
  it('reads list filters with defaults, and names every bad one', () => {
    expect(parseRequest(ListImagesQuerySchema, { channel: 'prod', revoked: 'false' }, 'query')).toEqual({
      channel: 'prod',
      revoked: false,
      limit: 50,
    });
    const refused = (() => {
      try {
        parseRequest(ListImagesQuerySchema, { limit: '201', channel: 'qa', colour: 'red' }, 'query');
      } catch (error: unknown) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toMatchObject({
      code: 'IMAGE.INVALID_REQUEST',
      kind: 'invalid',
      metadata: {
        problems: expect.arrayContaining([
          'unknown query field colour',
          expect.stringMatching(/^channel: /) as string,
          'limit: must be at most 200',
        ]) as string[],
      },
    });
    expect((refused as { metadata: { problems: string[] } }).metadata.problems).toHaveLength(3);
  });

  it('defaults revocations to inherited and refuses repeated CVEs', () => {
    expect(parseRequest(RevokeImageBody, { reason: 'defective', detail: 'x' }, 'body')).toEqual({
      reason: 'defective',
      detail: 'x',
      cveIds: [],
      inheritedByDescendants: true,
    });
    expect(() =>
      parseRequest(
        RevokeImageBody,
        { reason: 'vulnerability', detail: 'x', cveIds: ['CVE-2024-6387', 'CVE-2024-6387'] },
        'body',
      ),
    ).toThrow(/must not repeat a CVE/);
  });

  it('round-trips cursors and refuses forged ones', () => {
    const at = new Date('2025-11-22T12:00:00.123Z');
    const id = '9b8a7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ publishedAt: at, id });
    for (const forged of ['', 'abc', Buffer.from('["x","y"]').toString('base64url')]) {
      expect(() => decodeCursor(forged)).toThrow(
        expect.objectContaining({ code: 'IMAGE.INVALID_REQUEST' }) as Error,
      );
    }
  });

  it('attributes requests to the authenticated principal, else to an anonymous user', () => {
    expect(actorOf({ principal: { kind: 'service', id: 'pipeline', grants: [] } })).toEqual({
      kind: 'service',
      id: 'pipeline',
    });
    expect(actorOf({})).toEqual({ kind: 'user', id: 'anonymous' });
  });
});
