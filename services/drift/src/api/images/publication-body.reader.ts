import { PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';
import { ImageError } from '../../domain/images/image.error';

/**
 * Media type for publications too large for the platform's JSON body limit (100 kB): real SBOMs
 * are often megabytes. The default parser leaves this type alone, so the route reads it here.
 */
export const PUBLICATION_MEDIA_TYPE = 'application/vnd.resiliencefabric.image-publication+json';
export const MAX_PUBLICATION_BYTES = 64 * 1024 * 1024;

/** The request's JSON body: as parsed by the platform, or read here for the publication type. */
export async function publicationBody(
  req: Request,
  parsed: unknown,
  limit = MAX_PUBLICATION_BYTES,
): Promise<unknown> {
  if (!req.is(PUBLICATION_MEDIA_TYPE)) return parsed;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new PayloadTooLargeException(`a publication is at most ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeException(`a publication is at most ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error: unknown) {
    throw new ImageError('IMAGE.INVALID_REQUEST', `The body is not JSON: ${(error as Error).message}`);
  }
}
