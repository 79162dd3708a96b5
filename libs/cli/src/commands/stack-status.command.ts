import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ExitCode } from '../exit-codes';
import { type Output, table } from '../output';

interface ComponentStatus {
  state: string;
  port?: number | string | null;
  pid?: number | string | null;
  info?: string | null;
}

/** Reads the local stack's status from its own script, which knows how each component is run. */
export async function stackStatus(repoRoot: string, json: boolean, output: Output): Promise<ExitCode> {
  const script = join(repoRoot, 'deploy/local/stack.sh');
  const { code, stdout, stderr } = await run(script, ['status', '--json']);
  let components: Record<string, ComponentStatus>;
  try {
    components = JSON.parse(stdout) as Record<string, ComponentStatus>;
  } catch {
    output.err(`rf: could not read the stack status from ${script}: ${stderr.trim() || 'no output'}`);
    return ExitCode.Unavailable;
  }
  if (json) {
    output.out(JSON.stringify(components, null, 2));
  } else {
    const rows = Object.entries(components).map(([name, c]) => [
      name,
      c.state,
      String(c.port ?? ''),
      String(c.pid ?? ''),
      c.info ?? '',
    ]);
    output.out(table(['COMPONENT', 'STATE', 'PORT', 'PID', 'INFO'], rows));
  }
  return code === 0 ? ExitCode.Ok : ExitCode.Failure;
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
