import { decodeAuditBundle, parseCheckpoint, parseSignedNote } from '@rf/platform-ledger-proof';
import { readFile, writeFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface LedgerFetchBundleOptions {
  /** The ledger's base URL, e.g. http://127.0.0.1:3105. */
  readonly url: string;
  readonly out: string;
  readonly from?: number;
  readonly to?: number;
  /** Checkpoint notes saved earlier: the bundle then carries consistency proofs from their sizes. */
  readonly checkpoints: readonly string[];
  readonly timeoutMs: number;
  readonly json: boolean;
  /** OIDC access token or API key, sent as a bearer token: audit bundles need `ledger.export`. */
  readonly token?: string;
}

class UsageError extends Error {}

/** The tree sizes of saved checkpoints; nothing is trusted here, `rf ledger verify` checks them. */
async function savedSizes(paths: readonly string[]): Promise<number[]> {
  const sizes: number[] = [];
  for (const path of paths) {
    let note: string;
    try {
      note = await readFile(path, 'utf8');
    } catch (error: unknown) {
      throw new UsageError(`cannot read checkpoint ${path}: ${String(error)}`);
    }
    try {
      sizes.push(parseCheckpoint(parseSignedNote(note).text).size);
    } catch (error: unknown) {
      throw new UsageError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return sizes;
}

function problemDetail(body: string): string {
  try {
    const problem = JSON.parse(body) as { code?: unknown; detail?: unknown };
    if (typeof problem.code === 'string') {
      return `${problem.code}${typeof problem.detail === 'string' ? `: ${problem.detail}` : ''}`;
    }
  } catch {
    // Not problem+json: show the start of the body.
  }
  return body.slice(0, 200);
}

/** Downloads an audit bundle through the ledger's API and checks it is one before saving it. */
export async function fetchLedgerBundle(
  options: LedgerFetchBundleOptions,
  output: Output,
): Promise<ExitCode> {
  let query: URLSearchParams;
  let endpoint: URL;
  try {
    const trusted = await savedSizes(options.checkpoints);
    query = new URLSearchParams();
    if (options.from !== undefined) query.set('from', String(options.from));
    if (options.to !== undefined) query.set('to', String(options.to));
    if (trusted.length > 0) query.set('trusted', [...new Set(trusted)].join(','));
    if (!URL.canParse(options.url)) throw new UsageError(`--url ${options.url} is not a URL`);
    endpoint = new URL(`${options.url.replace(/\/$/, '')}/api/v1/ledger/audit-bundle?${query.toString()}`);
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`rf ledger fetch-bundle: ${error.message}`);
    return ExitCode.Usage;
  }

  let status: number;
  let body: string;
  try {
    const res = await fetch(endpoint, {
      headers: {
        accept: 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = res.status;
    body = await res.text();
  } catch (error: unknown) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    output.err(`rf ledger fetch-bundle: ${endpoint.origin} is unreachable: ${cause}`);
    return ExitCode.Unavailable;
  }
  if (status !== 200) {
    output.err(`rf ledger fetch-bundle: the ledger answered ${status}: ${problemDetail(body)}`);
    return ExitCode.Failure;
  }
  let summary: { treeSize: number; fromIndex: number; toIndex: number; checkpoints: number; entries: number };
  try {
    const bundle = decodeAuditBundle(JSON.parse(body));
    summary = {
      treeSize: bundle.treeSize,
      fromIndex: bundle.fromIndex,
      toIndex: bundle.toIndex,
      checkpoints: bundle.checkpoints.length,
      entries: bundle.entries.length,
    };
  } catch (error: unknown) {
    output.err(
      `rf ledger fetch-bundle: the ledger did not serve a bundle: ${error instanceof Error ? error.message : String(error)}`,
    );
    return ExitCode.Failure;
  }
  await writeFile(options.out, body);
  if (options.json) output.out(JSON.stringify({ out: options.out, ...summary }, null, 2));
  else {
    output.out(
      `wrote ${options.out}: entries [${summary.fromIndex}, ${summary.toIndex}) of a log of ${summary.treeSize}, ` +
        `${summary.checkpoints} checkpoints`,
    );
  }
  return ExitCode.Ok;
}
