import { PRINCIPAL_HEADER } from '@rf/platform-auth';
import type { FetchedDocumentOutcome } from '@rf/platform-evidence-pack';
import type { DriftEvidenceSource } from '../../application/ports/drift-evidence-source.port';

/** The largest document read from the drift service (an SBOM of a large image is a few MiB). */
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

export interface HttpDriftEvidenceSettings {
  /** Base URL of the drift service (`/api/v1/images/…`, `/api/v1/drift…`). */
  readonly url: string;
  readonly timeoutMs: number;
}

/**
 * Reads SBOMs and drift reports over the drift service's HTTP API, forwarding the caller's principal
 * the gateway signed for the drift service. The documents are kept byte for byte as served (an SBOM's
 * octets are what its digest covers).
 */
export class HttpDriftEvidenceSource implements DriftEvidenceSource {
  constructor(private readonly settings: HttpDriftEvidenceSettings) {}

  sbom(imageVersionId: string, credential: string | undefined): Promise<FetchedDocumentOutcome> {
    return this.get(`/api/v1/images/${encodeURIComponent(imageVersionId)}/sbom`, credential);
  }

  driftReport(environment: string, credential: string | undefined): Promise<FetchedDocumentOutcome> {
    return this.get(`/api/v1/drift?${new URLSearchParams({ env: environment }).toString()}`, credential);
  }

  driftTrend(
    environment: string,
    from: Date,
    to: Date,
    credential: string | undefined,
  ): Promise<FetchedDocumentOutcome> {
    const query = new URLSearchParams({ env: environment, from: from.toISOString(), to: to.toISOString() });
    return this.get(`/api/v1/drift/trend?${query.toString()}`, credential);
  }

  private async get(path: string, credential: string | undefined): Promise<FetchedDocumentOutcome> {
    if (credential === undefined) {
      return {
        status: 'refused',
        reason:
          'the request carried no principal for the drift service (it reaches the ledger through the gateway)',
      };
    }
    const target = new URL(path, this.settings.url);
    let res: Response;
    try {
      res = await fetch(target, {
        headers: { [PRINCIPAL_HEADER]: credential, accept: 'application/json, application/spdx+json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error: unknown) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return {
        status: 'unavailable',
        reason: `drift service at ${target.origin}: ${timedOut ? `no answer in ${this.settings.timeoutMs} ms` : describe(error)}`,
      };
    }
    if (res.status === 200) {
      const length = Number(res.headers.get('content-length') ?? 0);
      if (length > MAX_DOCUMENT_BYTES) {
        await res.body?.cancel();
        return { status: 'unavailable', reason: `${path}: ${length} bytes is more than a pack takes` };
      }
      return { status: 'found', bytes: Buffer.from(await res.arrayBuffer()) };
    }
    const code = await problemCode(res);
    const why = `${res.status}${code === undefined ? '' : ` ${code}`}`;
    if (res.status === 404) return { status: 'not_found', reason: `${path}: ${why}` };
    if (res.status === 401 || res.status === 403) return { status: 'refused', reason: `${path}: ${why}` };
    return { status: 'unavailable', reason: `${path}: ${why}` };
  }
}

async function problemCode(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}
