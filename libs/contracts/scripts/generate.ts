import { WORKSPACE_ROOT } from './contract-paths.constants';
import { findDrift, hasDrift, writeContractArtifacts } from './contracts-generator';
import { ContractViolationError } from './event-contracts.loader';

const USAGE = 'usage: node -r @swc-node/register libs/contracts/scripts/generate.ts [--check]';

/** Writes the artefacts generated from contracts/events, or with --check fails when they differ. */
async function main(args: readonly string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`unknown argument(s): ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  try {
    if (args.includes('--check')) {
      const report = await findDrift(WORKSPACE_ROOT);
      if (!hasDrift(report)) {
        console.log('contracts: generated artefacts are up to date');
        return 0;
      }
      for (const path of report.changed) console.error(`differs: ${path}`);
      for (const path of report.missing) console.error(`missing: ${path}`);
      for (const path of report.stale) console.error(`stale:   ${path}`);
      console.error('contracts: generated artefacts drifted from contracts/events; run it without --check');
      return 1;
    }
    const { written, removed } = await writeContractArtifacts(WORKSPACE_ROOT);
    for (const path of written) console.log(`wrote   ${path}`);
    for (const path of removed) console.log(`removed ${path}`);
    if (written.length + removed.length === 0) console.log('contracts: nothing to change');
    return 0;
  } catch (error: unknown) {
    if (error instanceof ContractViolationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
