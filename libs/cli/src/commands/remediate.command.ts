import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { ExitCode } from '../exit-codes';
import { type Output, table } from '../output';
import { serviceEndpoints } from '../service-endpoints';

interface PlanBody {
  id: string;
  status: string;
  strategy: string;
  autonomyLevel: number;
  riskScore: number;
  environment: string;
  family: string;
  toVersion: string;
  assetIds: string[];
  waves: { index: number; assetIds: string[] }[];
  statusReason: string | null;
}

interface PlanView {
  plan: PlanBody;
  assessment: { score: number; reasoning: string[] } | null;
  progress: {
    phase: string;
    currentWave: number | null;
    wavesCompleted: number;
    totalWaves: number;
    assetsSucceeded: number;
    assetsFailed: number;
    paused: boolean;
    pauseReason: string | null;
    awaitingApproval: boolean;
  } | null;
}

interface Problem {
  status: number;
  code?: string;
  detail?: string;
}

interface CommonOptions {
  url?: string;
  json?: boolean;
  timeout: string;
  actor?: string;
  token?: string;
}

type Call = { ok: true; body: unknown } | { ok: false; code: ExitCode };

/** `rf remediate plan|approve|start|pause|resume|abort|status`, over the remediation REST API. */
export function registerRemediateCommands(
  program: Command,
  output: Output,
  env: Readonly<Record<string, string | undefined>>,
  setExit: (code: ExitCode) => void,
): void {
  const baseUrl = (opts: CommonOptions): string =>
    (opts.url ?? serviceEndpoints(env).find((e) => e.service === 'remediation')?.url ?? '').replace(
      /\/$/,
      '',
    );

  const token = (opts: CommonOptions): string | undefined => opts.token ?? env['RF_TOKEN'];

  const call = async (
    opts: CommonOptions,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Call> => {
    const timeoutMs = Number(opts.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      output.err(`rf: --timeout must be a positive integer, got "${opts.timeout}"`);
      return { ok: false, code: ExitCode.Usage };
    }
    let res: Response;
    try {
      res = await fetch(`${baseUrl(opts)}/api/v1/remediation${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(token(opts) ? { authorization: `Bearer ${token(opts)}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error: unknown) {
      const cause =
        error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : '';
      output.err(`rf: remediation service unreachable at ${baseUrl(opts)}: ${cause}`);
      return { ok: false, code: ExitCode.Unavailable };
    }
    const parsed: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const p = (parsed ?? {}) as Problem;
      output.err(`rf: ${p.code ?? `HTTP ${res.status}`}: ${p.detail ?? res.statusText}`);
      return { ok: false, code: res.status >= 500 ? ExitCode.Unavailable : ExitCode.Failure };
    }
    return { ok: true, body: parsed };
  };

  const actor = (opts: CommonOptions) => (opts.actor ? { kind: 'user', id: opts.actor } : undefined);

  const renderPlan = (plan: PlanBody, opts: CommonOptions): void => {
    if (opts.json) {
      output.out(JSON.stringify(plan, null, 2));
      return;
    }
    output.out(
      table(
        ['PLAN', 'STATUS', 'STRATEGY', 'AUTONOMY', 'RISK', 'ASSETS', 'WAVES'],
        [
          [
            plan.id,
            plan.status,
            plan.strategy,
            String(plan.autonomyLevel),
            String(plan.riskScore),
            String(plan.assetIds.length),
            plan.waves.map((w) => w.assetIds.length).join('/'),
          ],
        ],
      ),
    );
    if (plan.statusReason) output.out(`reason: ${plan.statusReason}`);
  };

  const common = (c: Command): Command =>
    c
      .option(
        '--url <url>',
        'gateway or remediation base URL (default: RF_REMEDIATION_URL, or the local service)',
      )
      .option(
        '--token <token>',
        'bearer token for the gateway (OIDC access token or API key; default: RF_TOKEN)',
      )
      .option('--json', 'machine-readable output')
      .option('--timeout <ms>', 'request timeout in milliseconds', '10000')
      .option('--actor <id>', 'who acts, when the service records no authenticated caller');

  const remediate = program
    .command('remediate')
    .description('remediation plans: risk, approval, canary rollout');

  common(
    remediate
      .command('plan')
      .description('plan moving assets to a version (a vulnerability fix or a drift repair)')
      .requiredOption('--family <family>', 'golden-image family')
      .requiredOption('--to <version>', 'target version')
      .requiredOption('--env <environment>', 'environment of the assets')
      .option('--asset <id...>', 'asset ids')
      .option('--assets-file <file>', 'file of asset ids, one per line')
      .option('--cve <id>', 'vulnerability fixed')
      .option('--severity <0..1>', 'severity of what the version fixes')
      .option('--exploitability <0..1>', 'likelihood of exploitation')
      .option('--canary-percent <n>', 'share of assets in the canary wave')
      .option('--waves <n>', 'exact number of waves')
      .option('--soak <seconds>', 'observation time after each wave'),
  ).action(
    async (
      opts: CommonOptions & {
        family: string;
        to: string;
        env: string;
        asset?: string[];
        assetsFile?: string;
        cve?: string;
        severity?: string;
        exploitability?: string;
        canaryPercent?: string;
        waves?: string;
        soak?: string;
      },
    ) => {
      const assetIds = [...(opts.asset ?? [])];
      if (opts.assetsFile) {
        const text = await readFile(opts.assetsFile, 'utf8');
        assetIds.push(...text.split(/\s+/u).filter((l) => l.length > 0));
      }
      if (assetIds.length === 0) {
        output.err('rf: give assets with --asset or --assets-file');
        setExit(ExitCode.Usage);
        return;
      }
      const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
      const wavePolicy = Object.fromEntries(
        Object.entries({
          canaryPercent: num(opts.canaryPercent),
          waveCount: num(opts.waves),
          soakSeconds: num(opts.soak),
        }).filter(([, v]) => v !== undefined),
      );
      const body = {
        family: opts.family,
        toVersion: opts.to,
        environment: opts.env,
        assetIds,
        ...(opts.cve || opts.severity || opts.exploitability
          ? {
              vulnerability: {
                id: opts.cve ?? 'unspecified',
                severity: num(opts.severity) ?? 0.5,
                exploitability: num(opts.exploitability) ?? 0.3,
              },
            }
          : {}),
        ...(Object.keys(wavePolicy).length > 0 ? { wavePolicy } : {}),
        ...(actor(opts) ? { requestedBy: actor(opts) } : {}),
      };
      const res = await call(opts, 'POST', '/plans', body);
      if (!res.ok) {
        setExit(res.code);
        return;
      }
      renderPlan(res.body as PlanBody, opts);
      setExit(ExitCode.Ok);
    },
  );

  common(
    remediate
      .command('approve')
      .description('approve a plan that awaits approval (the policy still decides)')
      .argument('<plan-id>')
      .option('--comment <text>', 'approval comment'),
  ).action(async (planId: string, opts: CommonOptions & { comment?: string }) => {
    const res = await call(opts, 'POST', `/plans/${encodeURIComponent(planId)}/approve`, {
      ...(actor(opts) ? { approver: actor(opts) } : {}),
      ...(opts.comment ? { comment: opts.comment } : {}),
    });
    if (!res.ok) {
      setExit(res.code);
      return;
    }
    renderPlan(res.body as PlanBody, opts);
    setExit(ExitCode.Ok);
  });

  for (const [name, description] of [
    ['start', 'start an approved plan'],
    ['pause', 'pause a running plan between steps'],
    ['resume', 'resume a paused plan (re-analyses an inconclusive wave)'],
    ['abort', 'abort a plan; waves already run are rolled back'],
    ['rollback', 'roll back a completed plan'],
  ] as const) {
    common(
      remediate
        .command(name)
        .description(description)
        .argument('<plan-id>')
        .option('--reason <text>', 'why, for the record'),
    ).action(async (planId: string, opts: CommonOptions & { reason?: string }) => {
      const res = await call(opts, 'POST', `/plans/${encodeURIComponent(planId)}/${name}`, {
        ...(actor(opts) ? { actor: actor(opts) } : {}),
        ...(opts.reason ? { reason: opts.reason } : {}),
      });
      if (!res.ok) {
        setExit(res.code);
        return;
      }
      renderPlan(res.body as PlanBody, opts);
      setExit(ExitCode.Ok);
    });
  }

  common(
    remediate.command('status').description('a plan, its risk and its live progress').argument('<plan-id>'),
  ).action(async (planId: string, opts: CommonOptions) => {
    const res = await call(opts, 'GET', `/plans/${encodeURIComponent(planId)}`);
    if (!res.ok) {
      setExit(res.code);
      return;
    }
    const view = res.body as PlanView;
    if (opts.json) {
      output.out(JSON.stringify(view, null, 2));
      setExit(ExitCode.Ok);
      return;
    }
    renderPlan(view.plan, opts);
    const p = view.progress;
    if (p) {
      output.out(
        `progress: ${p.phase}, wave ${p.currentWave ?? '-'} of ${p.totalWaves}, ${p.wavesCompleted} done, ` +
          `${p.assetsSucceeded} ok, ${p.assetsFailed} failed${p.pauseReason ? ` (${p.pauseReason})` : ''}`,
      );
    }
    for (const reason of view.assessment?.reasoning ?? []) output.out(`risk: ${reason}`);
    setExit(ExitCode.Ok);
  });
}
