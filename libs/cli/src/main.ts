import { LOCAL_STACK_DEFAULTS, processEnvironment } from '@rf/platform-config';
import { Command, CommanderError } from 'commander';
import { resolve } from 'node:path';
import { validateContracts } from './commands/contracts-validate.command';
import {
  checkSchemaCompatibility,
  provisionEventTopics,
  registerEventSchemas,
  replayEvents,
} from './commands/events.command';
import { registerEvidencePackCommands } from './commands/evidence-pack.command';
import { checkHealth, renderHealth } from './commands/health.command';
import { registerLedgerCommands } from './commands/ledger.command';
import { registerRemediateCommands } from './commands/remediate.command';
import { stackStatus } from './commands/stack-status.command';
import { ExitCode } from './exit-codes';
import { type Output, processOutput } from './output';
import { serviceEndpoints } from './service-endpoints';

const REPO_ROOT = resolve(__dirname, '../../..');

export function buildProgram(
  output: Output,
  env: Readonly<Record<string, string | undefined>>,
  setExit: (code: ExitCode) => void,
): Command {
  const program = new Command('rf')
    .description('Resilience Fabric command line')
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });

  program
    .command('stack')
    .description('the local infrastructure stack')
    .command('status')
    .description('report each component of the local stack')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      setExit(await stackStatus(REPO_ROOT, opts.json ?? false, output));
    });

  program
    .command('health')
    .description("report every service's readiness (/readyz)")
    .option('--json', 'machine-readable output')
    .option('--timeout <ms>', 'per-service timeout in milliseconds', '3000')
    .action(async (opts: { json?: boolean; timeout: string }) => {
      const timeoutMs = Number(opts.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        output.err(`rf: --timeout must be a positive integer, got "${opts.timeout}"`);
        setExit(ExitCode.Usage);
        return;
      }
      const results = await checkHealth(serviceEndpoints(env), timeoutMs);
      setExit(renderHealth(results, opts.json ?? false, output));
    });

  const eventsEnv = () => ({
    brokers: (env['RF_KAFKA_BROKERS'] ?? LOCAL_STACK_DEFAULTS.kafkaBrokers).split(','),
    registryUrl: env['RF_REGISTRY_URL'] ?? LOCAL_STACK_DEFAULTS.registryUrl,
  });
  const events = program.command('events').description('the event backbone: topics, schemas, replay');
  events
    .command('provision')
    .description('create or update every contract topic and its dead-letter topic')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      setExit(await provisionEventTopics(eventsEnv(), opts.json ?? false, output));
    });
  events
    .command('register')
    .description('register every event schema in the registry, BACKWARD compatible')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      setExit(await registerEventSchemas(eventsEnv(), opts.json ?? false, output));
    });
  events
    .command('check-compat')
    .description('fail if an event schema changed incompatibly (BACKWARD) since a git revision')
    .option('--base <ref>', 'baseline revision', env['RF_CONTRACTS_BASE'] ?? 'HEAD~1')
    .option('--json', 'machine-readable output')
    .action(async (opts: { base: string; json?: boolean }) => {
      setExit(await checkSchemaCompatibility(eventsEnv(), REPO_ROOT, opts.base, opts.json ?? false, output));
    });
  events
    .command('replay')
    .description('re-drive events from a dead-letter topic, or rewind a consumer group by offset or time')
    .option('--dlq <topic>', 'dead-letter topic to re-drive to its original topics')
    .option('--dry-run', 'count what would be replayed')
    .option('--topic <topic>', 'topic to rewind the consumer group on')
    .option('--group <group>', 'consumer group to rewind (its consumers must be stopped)')
    .option('--from-offset <offset>', 'rewind every partition to this offset')
    .option('--from-time <iso>', 'rewind to the first event at or after this time')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        dlq?: string;
        dryRun?: boolean;
        topic?: string;
        group?: string;
        fromOffset?: string;
        fromTime?: string;
        json?: boolean;
      }) => {
        setExit(await replayEvents(eventsEnv(), opts, opts.json ?? false, output));
      },
    );

  program
    .command('contracts')
    .description('golden-image contracts (contracts/images)')
    .command('validate')
    .description('validate image contracts against their JSON Schema, with the line of each problem')
    .argument('[paths...]', 'contract files or directories (default: contracts/images and its examples)')
    .option('--json', 'machine-readable output')
    .action((paths: string[], opts: { json?: boolean }) => {
      setExit(validateContracts(REPO_ROOT, paths, opts.json ?? false, output));
    });

  registerLedgerCommands(program, output, env, setExit);
  registerRemediateCommands(program, output, env, setExit);
  registerEvidencePackCommands(program, output, env, setExit);

  return program;
}

/** Runs `rf` with the given argv and resolves to its exit code. */
export async function main(
  argv: readonly string[],
  output: Output = processOutput,
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Ok;
  const program = buildProgram(output, env, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    output.err(`rf: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.Failure;
  }
}
