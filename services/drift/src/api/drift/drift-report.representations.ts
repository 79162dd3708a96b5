import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { FleetDriftReport } from '../../domain/drift/drift-report';

/** The bytes of one report as served, made once however many requests it answers. */
export interface DriftReportRepresentation {
  /** UTF-8 JSON. */
  readonly body: Buffer;
  /**
   * Weak validator of the report's content without its `calculatedAt`: two computations of the same
   * counts and outdated assets are equivalent, so a poller holding either gets a 304.
   */
  readonly etag: string;
  /**
   * gzip of `body`, made once, off the event loop, for the first request that accepts it; none for
   * a small body.
   */
  gzip(): Promise<Buffer | undefined>;
}

/** Bodies smaller than this are sent as they are: gzip would save less than its headers cost. */
const GZIP_MIN_BYTES = 1_024;

const gzipAsync = promisify(gzipCallback);

/**
 * Serialised bodies and validators of the reports the report handler serves again from its cache,
 * keyed by the report object: a report is stringified, hashed and compressed once, and each request
 * for it writes ready-made bytes.
 */
export class DriftReportRepresentations {
  private readonly made = new WeakMap<FleetDriftReport, DriftReportRepresentation>();

  of(report: FleetDriftReport): DriftReportRepresentation {
    let representation = this.made.get(report);
    if (representation === undefined) {
      representation = represent(report);
      this.made.set(report, representation);
    }
    return representation;
  }
}

function represent(report: FleetDriftReport): DriftReportRepresentation {
  const text = JSON.stringify(report);
  const body = Buffer.from(text, 'utf8');
  // Every `calculatedAt` of a report carries the same instant: blank them all for the validator.
  const content = text.replaceAll(JSON.stringify(report.calculatedAt), '""');
  const etag = `W/"${createHash('sha256').update(content).digest('base64url').slice(0, 27)}"`;
  let compressed: Promise<Buffer | undefined> | undefined;
  return {
    body,
    etag,
    gzip: () => {
      if (body.length < GZIP_MIN_BYTES) return Promise.resolve(undefined);
      // A failed compression is not kept: the next request tries again, this one is sent plain.
      compressed ??= gzipAsync(body, { level: 6 }).catch(() => {
        compressed = undefined;
        return undefined;
      });
      return compressed;
    },
  };
}

/** Whether an `If-None-Match` header names the validator (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchHolds(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//u, '');
  return header.split(',').some((tag) => tag.trim().replace(/^W\//u, '') === opaque);
}

/** Whether an `Accept-Encoding` header accepts gzip (not refused with `q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
