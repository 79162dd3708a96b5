import {
  auditLedger,
  type AuditReport,
  decodeAuditBundle,
  type DecodedAuditBundle,
  Ed25519NoteVerifier,
  type VerificationFinding,
} from '@rf/platform-ledger-proof';
import { readFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import { type Output, table } from '../output';

export interface LedgerVerifyOptions {
  /** Path of an audit bundle (`rf ledger fetch-bundle`, or GET /api/v1/ledger/audit-bundle). */
  readonly bundle: string;
  /** Trusted log vkeys, each given as the vkey text or a file of vkeys, one per line. */
  readonly vkeys: readonly string[];
  /** Files of checkpoint notes saved earlier; the log must never fall behind or away from them. */
  readonly checkpoints: readonly string[];
  /** The log's origin; by default the name of the first vkey (a log's key is named after it). */
  readonly origin?: string;
  /** Insist that the bundle is the whole log from index 0, whatever the bundle says. */
  readonly complete: boolean;
  readonly json: boolean;
}

/** A command line that cannot be run as given (exit 2). */
export class UsageError extends Error {}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : String(error);
    throw new UsageError(`cannot read ${what} ${path}: ${reason}`);
  }
}

/** A vkey given inline, or a file holding vkeys one per line (blank lines and # comments ignored). */
export async function loadVkeys(values: readonly string[]): Promise<Ed25519NoteVerifier[]> {
  const keys: Ed25519NoteVerifier[] = [];
  for (const value of values) {
    let inline: Ed25519NoteVerifier | undefined;
    try {
      inline = Ed25519NoteVerifier.fromVkey(value.trim());
    } catch {
      // Not a vkey: a file of them.
    }
    if (inline !== undefined) {
      keys.push(inline);
      continue;
    }
    const lines = (await readText(value, 'vkey file'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !l.startsWith('#'));
    if (lines.length === 0) throw new UsageError(`${value} holds no vkey`);
    for (const line of lines) {
      try {
        keys.push(Ed25519NoteVerifier.fromVkey(line));
      } catch (error: unknown) {
        throw new UsageError(`${value}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return keys;
}

function malformedBundle(message: string): VerificationFinding {
  return { severity: 'error', code: 'BUNDLE_MALFORMED', message };
}

interface Verdict {
  readonly ok: boolean;
  readonly bundle: string;
  readonly origin: string;
  readonly report: AuditReport | undefined;
  readonly findings: readonly VerificationFinding[];
}

async function readBundle(path: string): Promise<DecodedAuditBundle | VerificationFinding> {
  const text = await readText(path, 'bundle');
  try {
    return decodeAuditBundle(JSON.parse(text));
  } catch (error: unknown) {
    // A bundle that does not even parse is evidence that does not verify, not a usage error.
    return malformedBundle(error instanceof Error ? error.message : String(error));
  }
}

function where(finding: VerificationFinding): string {
  return [
    finding.checkpoint,
    finding.entryIndex === undefined ? undefined : `entry ${finding.entryIndex}`,
    finding.treeSize === undefined ? undefined : `size ${finding.treeSize}`,
    finding.keyName === undefined ? undefined : `key ${finding.keyName}`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
}

function render(verdict: Verdict, json: boolean, output: Output): void {
  const { report } = verdict;
  if (json) {
    output.out(
      JSON.stringify(
        {
          ok: verdict.ok,
          bundle: verdict.bundle,
          origin: verdict.origin,
          head:
            report?.head === undefined
              ? null
              : { size: report.head.size, rootHash: report.head.rootHash.toString('hex') },
          checkpointsVerified: report?.checkpointsVerified ?? 0,
          consistencyProofsVerified: report?.consistencyProofsVerified ?? 0,
          inclusionProofsVerified: report?.inclusionProofsVerified ?? 0,
          entriesReplayed: report?.entriesReplayed ?? 0,
          findings: verdict.findings,
        },
        null,
        2,
      ),
    );
    return;
  }
  const head = report?.head;
  output.out(
    `${verdict.ok ? 'VERIFIED' : 'NOT VERIFIED'}: ${verdict.bundle} (log ${verdict.origin}` +
      `${head ? `, head size ${head.size}, root ${head.rootHash.toString('hex')}` : ''})`,
  );
  if (report !== undefined) {
    output.out(
      `checked ${report.checkpointsVerified} checkpoints, ${report.consistencyProofsVerified} consistency ` +
        `proofs, ${report.inclusionProofsVerified} inclusion proofs; replayed ${report.entriesReplayed} entries`,
    );
  }
  if (verdict.findings.length > 0) {
    output.out(
      table(
        ['SEVERITY', 'CODE', 'WHERE', 'MESSAGE'],
        verdict.findings.map((f) => [f.severity, f.code, where(f), f.message]),
      ),
    );
  }
}

/**
 * Verifies an audit bundle offline, with nothing but the trusted vkeys and checkpoints saved earlier:
 * every checkpoint's signature, consistency between all of them, each entry's inclusion proof and
 * payload hash, and for a whole log its replayed roots. 0: verified; 1: findings; 2: usage.
 */
export async function verifyLedgerBundle(options: LedgerVerifyOptions, output: Output): Promise<ExitCode> {
  let verdict: Verdict;
  try {
    if (options.vkeys.length === 0) throw new UsageError('--vkey is required');
    const logKeys = await loadVkeys(options.vkeys);
    const origin = options.origin ?? (logKeys[0] as Ed25519NoteVerifier).keyName;
    const trustedCheckpoints: string[] = [];
    for (const path of options.checkpoints) trustedCheckpoints.push(await readText(path, 'checkpoint'));
    const bundle = await readBundle(options.bundle);
    if ('severity' in bundle) {
      verdict = { ok: false, bundle: options.bundle, origin, report: undefined, findings: [bundle] };
    } else {
      const report = auditLedger({
        policy: { origin, logKeys },
        trustedCheckpoints,
        checkpoints: bundle.checkpoints,
        consistencyProofs: bundle.consistencyProofs,
        entries: bundle.entries,
        completeLog: options.complete || bundle.complete,
      });
      verdict = { ok: report.ok, bundle: options.bundle, origin, report, findings: report.findings };
    }
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`rf ledger verify: ${error.message}`);
    return ExitCode.Usage;
  }
  render(verdict, options.json, output);
  return verdict.ok ? ExitCode.Ok : ExitCode.Failure;
}
