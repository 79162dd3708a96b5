import { readEvidencePackArchive, verifyEvidencePack } from '@rf/platform-evidence-pack';
import { writeFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface EvidencePackGenerateOptions {
  /** The ledger's base URL. */
  readonly url: string;
  readonly from: string;
  readonly to: string;
  readonly environment: string;
  readonly out: string;
  readonly timeoutMs: number;
  readonly json: boolean;
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

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Asks the ledger for an evidence pack (POST /api/v1/ledger/evidence-packs) and writes the ZIP, after
 * checking it is a pack whose files match its index. Exit 0 written, 1 the ledger refused or served
 * something else, 2 usage, 69 unreachable.
 */
export async function generateEvidencePack(
  options: EvidencePackGenerateOptions,
  output: Output,
): Promise<ExitCode> {
  const usage = (text: string) => {
    output.err(`rf evidence-pack generate: ${text}`);
    return ExitCode.Usage;
  };
  for (const [name, value] of [
    ['from', options.from],
    ['to', options.to],
  ] as const) {
    if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
      return usage(`--${name} must be an RFC 3339 date-time, e.g. 2026-11-01T00:00:00Z; got "${value}"`);
    }
  }
  if (Date.parse(options.from) >= Date.parse(options.to)) return usage('--from must be before --to');
  if (!URL.canParse(options.url)) return usage(`--url ${options.url} is not a URL`);
  const endpoint = new URL(`${options.url.replace(/\/$/, '')}/api/v1/ledger/evidence-packs`);

  let status: number;
  let body: Buffer;
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/zip, application/problem+json' },
      body: JSON.stringify({ from: options.from, to: options.to, environment: options.environment }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    status = res.status;
    body = Buffer.from(await res.arrayBuffer());
  } catch (error: unknown) {
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
    output.err(`rf evidence-pack generate: ${endpoint.origin} is unreachable: ${cause}`);
    return ExitCode.Unavailable;
  }
  if (status !== 200) {
    output.err(
      `rf evidence-pack generate: the ledger answered ${status}: ${problemDetail(body.toString('utf8'))}`,
    );
    return ExitCode.Failure;
  }
  // Structure only: proving who signed it is `verify`'s job, with a key the auditor trusts.
  const check = verifyEvidencePack(body, { trustedKeys: [], trustEmbeddedKeys: true });
  const broken = check.findings.filter(
    (f) => f.severity === 'error' && f.code !== 'NO_TRUSTED_SIGNATURE' && f.code !== 'SIGNATURE_INVALID',
  );
  if (check.index === undefined || broken.length > 0) {
    output.err(
      `rf evidence-pack generate: the ledger did not serve a sound pack: ${broken.map((f) => f.message).join('; ')}`,
    );
    return ExitCode.Failure;
  }
  await writeFile(options.out, body);
  const index = check.index;
  const files = readEvidencePackArchive(body).size;
  const summary = {
    out: options.out,
    bytes: body.length,
    files,
    entries: index.entries.length,
    treeSize: index.log.treeSize,
    sections: Object.fromEntries(Object.entries(index.sections).map(([name, s]) => [name, s.status])),
  };
  if (options.json) output.out(JSON.stringify(summary, null, 2));
  else {
    output.out(
      `wrote ${options.out}: ${summary.entries} entries of a log of ${summary.treeSize}, ${files} files; ` +
        Object.entries(summary.sections)
          .map(([name, s]) => `${name} ${s}`)
          .join(', '),
    );
  }
  return ExitCode.Ok;
}
