import { Ed25519NoteSigner } from '@rf/platform-ledger-proof';
import { writeFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';

export interface LedgerKeygenOptions {
  /** The log's origin, which names its key. */
  readonly origin: string;
  /** Where to write the secret signer key (mode 0600); it is never printed. */
  readonly out: string;
  readonly json: boolean;
}

/**
 * Makes a checkpoint signing key: the secret skey (RF_LEDGER_SIGNING_KEY) goes to a file only the user
 * can read, the public vkey (for auditors and `rf ledger verify`) to stdout.
 */
export async function generateLedgerKey(options: LedgerKeygenOptions, output: Output): Promise<ExitCode> {
  let signer: Ed25519NoteSigner;
  try {
    signer = Ed25519NoteSigner.generate(options.origin);
  } catch (error: unknown) {
    output.err(`rf ledger keygen: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.Usage;
  }
  try {
    await writeFile(options.out, `${signer.toSkey()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error: unknown) {
    const exists = (error as { code?: unknown }).code === 'EEXIST';
    output.err(
      `rf ledger keygen: cannot write ${options.out}: ${exists ? 'it already exists' : String(error)}`,
    );
    return ExitCode.Usage;
  }
  const vkey = signer.verifier.toVkey();
  output.out(options.json ? JSON.stringify({ skeyFile: options.out, vkey }, null, 2) : vkey);
  return ExitCode.Ok;
}
