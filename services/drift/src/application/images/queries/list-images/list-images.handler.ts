import type { ImageVersion } from '../../../../domain/images/image-version.entity';
import { ImageError } from '../../../../domain/images/image.error';
import type { Clock } from '../../ports/clock.port';
import type { ImageRegistryStore } from '../../ports/image-registry.store.port';
import type { ListImagesQuery } from './list-images.query';

export interface ImagePage {
  readonly items: readonly ImageVersion[];
  /** Opaque; pass as `cursor` for the next page. Null on the last page. */
  readonly nextCursor: string | null;
  readonly now: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Keyset pagination over versions, newest first: stable while versions are being published. */
export class ListImagesHandler {
  constructor(
    private readonly store: ImageRegistryStore,
    private readonly clock: Clock,
  ) {}

  async execute(query: ListImagesQuery): Promise<ImagePage> {
    const now = this.clock.now();
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.store.list({
      ...query.filter,
      organisation: query.organisation,
      now,
      limit: query.limit + 1,
      ...(after ? { after } : {}),
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor(last.props.publishedAt, last.id) : null;
    return { items, nextCursor, now };
  }
}

export function encodeCursor(publishedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([publishedAt.toISOString(), id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { publishedAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      const publishedAt = new Date(typeof at === 'string' ? at : Number.NaN);
      if (!Number.isNaN(publishedAt.getTime()) && typeof id === 'string' && UUID.test(id))
        return { publishedAt, id };
    }
  } catch {
    // Falls through to the error below: any undecodable cursor is the caller's mistake.
  }
  throw new ImageError('IMAGE.INVALID_REQUEST', 'cursor is not a cursor this API returned');
}
