import { type EvidencePackVerification, verifyEvidencePack } from '@rf/platform-evidence-pack';
import type { Ed25519NoteVerifier } from '@rf/platform-ledger-proof';
import { readFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import { type Output, table } from '../output';
import { loadVkeys, UsageError } from './ledger-verify.command';

export interface EvidencePackVerifyCliOptions {
  readonly pack: string;
  /** Trusted log vkeys, inline or files of them. */
  readonly vkeys: readonly string[];
  /** Trust the vkeys the pack carries (integrity only; a warning says so). */
  readonly trustEmbeddedKeys: boolean;
  readonly witnessVkeys: readonly string[];
  readonly witnessQuorum: number;
  readonly origin?: string;
  readonly json: boolean;
}

function render(path: string, result: EvidencePackVerification, json: boolean, output: Output): void {
  if (json) {
    output.out(
      JSON.stringify(
        {
          ok: result.ok,
          pack: path,
          checkpoint:
            result.checkpoint === undefined
              ? null
              : {
                  origin: result.checkpoint.origin,
                  size: result.checkpoint.size,
                  rootHash: result.checkpoint.rootHash.toString('hex'),
                },
          entries: result.index?.entries.length ?? 0,
          filesVerified: result.filesVerified,
          inclusionProofsVerified: result.inclusionProofsVerified,
          payloadsVerified: result.payloadsVerified,
          findings: result.findings,
        },
        null,
        2,
      ),
    );
    return;
  }
  const cp = result.checkpoint;
  output.out(
    `${result.ok ? 'VERIFIED' : 'NOT VERIFIED'}: ${path}` +
      (cp ? ` (log ${cp.origin}, size ${cp.size}, root ${cp.rootHash.toString('hex')})` : ''),
  );
  output.out(
    `checked ${result.filesVerified} files, ${result.inclusionProofsVerified} inclusion proofs, ` +
      `${result.payloadsVerified} payloads`,
  );
  if (result.findings.length > 0) {
    output.out(
      table(
        ['SEVERITY', 'CODE', 'WHERE', 'MESSAGE'],
        result.findings.map((f) => [
          f.severity,
          f.code,
          [f.path, f.entryIndex === undefined ? undefined : `entry ${f.entryIndex}`, f.keyName]
            .filter((x) => x !== undefined)
            .join(', '),
          f.message,
        ]),
      ),
    );
  }
}

/**
 * Verifies an evidence pack offline: file hashes, the checkpoint's signature, every inclusion proof and
 * payload. Exit 0 verified, 1 findings, 2 usage.
 */
export async function verifyEvidencePackFile(
  options: EvidencePackVerifyCliOptions,
  output: Output,
): Promise<ExitCode> {
  let archive: Buffer;
  let logKeys: Ed25519NoteVerifier[];
  let witnessKeys: Ed25519NoteVerifier[];
  try {
    if (options.vkeys.length === 0 && !options.trustEmbeddedKeys) {
      throw new UsageError('give --vkey (the log key you trust), or --trust-embedded-keys');
    }
    logKeys = await loadVkeys(options.vkeys);
    witnessKeys = await loadVkeys(options.witnessVkeys);
    if (options.witnessQuorum > witnessKeys.length) {
      throw new UsageError(
        `--witness-quorum ${options.witnessQuorum} exceeds the ${witnessKeys.length} witness keys`,
      );
    }
    try {
      archive = await readFile(options.pack);
    } catch (error: unknown) {
      const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'no such file' : String(error);
      throw new UsageError(`cannot read pack ${options.pack}: ${reason}`);
    }
  } catch (error: unknown) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`rf evidence-pack verify: ${error.message}`);
    return ExitCode.Usage;
  }
  const result = verifyEvidencePack(archive, {
    trustedKeys: logKeys,
    trustEmbeddedKeys: options.trustEmbeddedKeys,
    witnessKeys,
    witnessQuorum: options.witnessQuorum,
    ...(options.origin === undefined ? {} : { origin: options.origin }),
  });
  render(options.pack, result, options.json, output);
  return result.ok ? ExitCode.Ok : ExitCode.Failure;
}
