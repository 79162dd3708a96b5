import type { Command } from 'commander';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { serviceEndpoints } from '../service-endpoints';
import { generateEvidencePack } from './evidence-pack-generate.command';
import { verifyEvidencePackFile } from './evidence-pack-verify.command';

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

/** `rf evidence-pack generate` and `rf evidence-pack verify`. */
export function registerEvidencePackCommands(
  program: Command,
  output: Output,
  env: Readonly<Record<string, string | undefined>>,
  setExit: (code: ExitCode) => void,
): void {
  const pack = program
    .command('evidence-pack')
    .description('evidence packs: ledger entries, proofs and reports for an audit, as one ZIP');

  pack
    .command('generate')
    .description('ask the ledger for the evidence of an environment over a time window')
    .requiredOption('--from <time>', 'start of the window, RFC 3339 (inclusive)')
    .requiredOption('--to <time>', 'end of the window, RFC 3339 (exclusive)')
    .requiredOption('--env <environment>', 'the environment, e.g. prod')
    .option('--out <file>', 'where to write the ZIP', 'pack.zip')
    .option('--url <url>', 'ledger base URL (default: RF_LEDGER_URL, or the local ledger)')
    .option('--timeout <ms>', 'request timeout in milliseconds', '120000')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        from: string;
        to: string;
        env: string;
        out: string;
        url?: string;
        timeout: string;
        json?: boolean;
      }) => {
        const timeoutMs = Number(opts.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
          output.err(`rf: --timeout must be a positive integer, got "${opts.timeout}"`);
          setExit(ExitCode.Usage);
          return;
        }
        const url = opts.url ?? serviceEndpoints(env).find((e) => e.service === 'ledger')?.url ?? '';
        setExit(
          await generateEvidencePack(
            {
              url,
              from: opts.from,
              to: opts.to,
              environment: opts.env,
              out: opts.out,
              timeoutMs,
              json: opts.json ?? false,
            },
            output,
          ),
        );
      },
    );

  pack
    .command('verify')
    .description('verify an evidence pack offline: files, checkpoint signature, inclusion proofs, payloads')
    .argument('<pack>', 'the ZIP (rf evidence-pack generate)')
    .option('--vkey <vkey>', 'trusted log key: vkey text, or a file of vkeys (repeatable)', collect, [])
    .option('--trust-embedded-keys', 'check the checkpoint with the keys the pack carries (integrity only)')
    .option('--witness-vkey <vkey>', 'witness key: vkey text or a file of vkeys (repeatable)', collect, [])
    .option('--witness-quorum <n>', 'how many of the witness keys must have co-signed', '0')
    .option('--origin <origin>', 'the log origin (default: the name of the first vkey)')
    .option('--json', 'machine-readable output')
    .action(
      async (
        path: string,
        opts: {
          vkey: string[];
          trustEmbeddedKeys?: boolean;
          witnessVkey: string[];
          witnessQuorum: string;
          origin?: string;
          json?: boolean;
        },
      ) => {
        const quorum = Number(opts.witnessQuorum);
        if (!Number.isInteger(quorum) || quorum < 0) {
          output.err(`rf: --witness-quorum must be a non-negative integer, got "${opts.witnessQuorum}"`);
          setExit(ExitCode.Usage);
          return;
        }
        const options = {
          pack: path,
          vkeys: opts.vkey,
          trustEmbeddedKeys: opts.trustEmbeddedKeys ?? false,
          witnessVkeys: opts.witnessVkey,
          witnessQuorum: quorum,
          json: opts.json ?? false,
        };
        setExit(
          await verifyEvidencePackFile(
            opts.origin === undefined ? options : { ...options, origin: opts.origin },
            output,
          ),
        );
      },
    );
}
