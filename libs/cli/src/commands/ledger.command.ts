import type { Command } from 'commander';
import { ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { serviceEndpoints } from '../service-endpoints';
import { fetchLedgerBundle } from './ledger-fetch-bundle.command';
import { generateLedgerKey } from './ledger-keygen.command';
import { verifyLedgerBundle } from './ledger-verify.command';

const NON_NEGATIVE_INTEGER = /^(0|[1-9][0-9]*)$/;

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

/** `rf ledger verify`, `rf ledger fetch-bundle` and `rf ledger keygen`. */
export function registerLedgerCommands(
  program: Command,
  output: Output,
  env: Readonly<Record<string, string | undefined>>,
  setExit: (code: ExitCode) => void,
): void {
  const ledger = program
    .command('ledger')
    .description('the evidence ledger: audit bundles and their offline verification');

  ledger
    .command('verify')
    .description('verify an audit bundle offline: checkpoints, consistency, inclusion, payloads')
    .requiredOption('--bundle <file>', 'audit bundle (rf ledger fetch-bundle)')
    .option('--vkey <vkey>', 'trusted log key: vkey text, or a file of vkeys (repeatable)', collect, [])
    .option('--checkpoint <file...>', 'checkpoint notes saved earlier, which the log must extend')
    .option('--origin <origin>', 'the log origin (default: the name of the first vkey)')
    .option('--complete', 'require the bundle to hold the whole log from index 0')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        bundle: string;
        vkey: string[];
        checkpoint?: string[];
        origin?: string;
        complete?: boolean;
        json?: boolean;
      }) => {
        const options = {
          bundle: opts.bundle,
          vkeys: opts.vkey,
          checkpoints: opts.checkpoint ?? [],
          complete: opts.complete ?? false,
          json: opts.json ?? false,
        };
        setExit(
          await verifyLedgerBundle(
            opts.origin === undefined ? options : { ...options, origin: opts.origin },
            output,
          ),
        );
      },
    );

  ledger
    .command('keygen')
    .description('make a checkpoint signing key: the secret to a file, the public vkey to stdout')
    .requiredOption('--origin <origin>', 'the log origin (RF_LEDGER_ORIGIN), which names the key')
    .requiredOption('--out <file>', 'new file for the secret key (RF_LEDGER_SIGNING_KEY), mode 0600')
    .option('--json', 'machine-readable output')
    .action(async (opts: { origin: string; out: string; json?: boolean }) => {
      setExit(
        await generateLedgerKey({ origin: opts.origin, out: opts.out, json: opts.json ?? false }, output),
      );
    });

  ledger
    .command('fetch-bundle')
    .description('download an audit bundle through the ledger API')
    .option('--url <url>', 'ledger base URL (default: RF_LEDGER_URL, or the local ledger)')
    .requiredOption('--out <file>', 'where to write the bundle')
    .option('--from <index>', 'first entry', '0')
    .option('--to <index>', 'end of the entry range, exclusive (default: the latest checkpoint)')
    .option('--checkpoint <file...>', 'saved checkpoint notes the bundle must link to the head')
    .option('--timeout <ms>', 'request timeout in milliseconds', '60000')
    .option('--token <token>', 'bearer token (OIDC access token or API key; default: RF_TOKEN)')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        url?: string;
        token?: string;
        out: string;
        from: string;
        to?: string;
        checkpoint?: string[];
        timeout: string;
        json?: boolean;
      }) => {
        const numbers: [string, string | undefined][] = [
          ['from', opts.from],
          ['to', opts.to],
          ['timeout', opts.timeout],
        ];
        const bad = numbers.find(([, v]) => v !== undefined && !NON_NEGATIVE_INTEGER.test(v));
        if (bad !== undefined || Number(opts.timeout) === 0) {
          const [name, value] = bad ?? ['timeout', opts.timeout];
          output.err(
            `rf: --${name} must be a ${name === 'timeout' ? 'positive' : 'non-negative'} integer, got "${value ?? ''}"`,
          );
          setExit(ExitCode.Usage);
          return;
        }
        const url = opts.url ?? serviceEndpoints(env).find((e) => e.service === 'ledger')?.url ?? '';
        const token = opts.token ?? env['RF_TOKEN'];
        const options = {
          url,
          out: opts.out,
          from: Number(opts.from),
          checkpoints: opts.checkpoint ?? [],
          timeoutMs: Number(opts.timeout),
          json: opts.json ?? false,
          ...(token ? { token } : {}),
        };
        setExit(
          await fetchLedgerBundle(
            opts.to === undefined ? options : { ...options, to: Number(opts.to) },
            output,
          ),
        );
      },
    );
}
