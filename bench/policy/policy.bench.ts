/**
 * Policy decision latency: the in-process wasm gate against OPA as a REST server. Prints figures;
 * it is not a test.
 *
 *   (a) opa-wasm alone: WasmPolicy.evaluate on the compiled bundle
 *   (b) the gate: canonical JSON, input hash, wasm, result checks (PolicyGate.evaluate, prod mode)
 *   (c) `opa run --server` on the same bundle's Rego, POST /v1/data/rf/<policy>/decision, one
 *       request at a time over a keep-alive connection, with fetch (undici) and with node:http
 *
 * for rf.authz and rf.remediation over varied, realistic inputs, after a warm-up.
 *
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/policy/policy.bench.ts
 *
 * RF_BENCH_POLICY_EVALS (default 50000) sets the evaluations per policy and path; the local opa
 * binary comes from the stack (RF_OPA_BIN).
 */
import { processEnvironment } from '@rf/platform-config';
import {
  buildAuthorizationRequest,
  canonicalJson,
  entrypointOf,
  InMemoryDecisionRecorder,
  loadWasmBundle,
  PolicyGate,
  type PolicyRequest,
  type Role,
} from '@rf/platform-policy';
import { stackEndpoints } from '@rf/platform-testing';
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const env = processEnvironment();
const EVALS = Number(env['RF_BENCH_POLICY_EVALS'] ?? 50_000);
const WARMUP = Math.min(10_000, EVALS);
const VARIANTS = 2_000;
const ROOT = resolve(__dirname, '../..');
const opaBin = stackEndpoints().opaBin;

/** Deterministic PRNG (mulberry32), so every run measures the same inputs. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(20251122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));

const ORGS = ['acme', 'globex', 'initech'];
const PROJECTS = ['payments', 'search', 'ledger', 'edge', 'data'];
const ENVS = ['dev', 'staging', 'prod'];
const ROLES: readonly Role[] = ['viewer', 'operator', 'engineer', 'admin'];
const ACTIONS = [
  'fleet.read',
  'drift.read',
  'image.read',
  'compliance.read',
  'remediation.read',
  'ledger.read',
  'scan.run',
  'remediation.approve',
  'backup.run',
  'drill.run',
  'image.promote',
  'image.revoke',
  'remediation.start',
  'remediation.rollback',
  'restore.start',
  'service.mode.change',
  'policy.exception.create',
  'apikey.manage',
  'grant.manage',
  'fleet.delete',
];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEK = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function authzRequest(): PolicyRequest {
  const org = pick(ORGS);
  const grants = Array.from({ length: int(1, 6) }, () => ({
    role: pick(ROLES),
    org: rnd() < 0.85 ? org : pick(ORGS),
    ...(rnd() < 0.6 ? { project: pick(PROJECTS) } : {}),
    ...(rnd() < 0.4 ? { env: pick(ENVS) } : {}),
    ...(rnd() < 0.2 ? { expiresAt: `2025-12-${String(int(1, 28)).padStart(2, '0')}T00:00:00Z` } : {}),
  }));
  const id = `u-${int(1, 500)}`;
  return buildAuthorizationRequest({
    principal: { kind: 'user', id, grants },
    action: pick(ACTIONS),
    resource: {
      kind: 'plan',
      id: `p-${int(1, 10_000)}`,
      org,
      project: pick(PROJECTS),
      env: pick(ENVS),
      ...(rnd() < 0.3 ? { requestedBy: rnd() < 0.3 ? id : `u-${int(1, 500)}` } : {}),
    },
    now: new Date(Date.UTC(2025, 10, int(1, 30), int(0, 23), int(0, 59))),
    ...(rnd() < 0.1
      ? {
          exceptions: [
            { ticket: `EXC-${int(1, 999)}`, expiresAt: '2025-11-20T00:00:00Z', policy: 'rf.authz' },
          ],
        }
      : {}),
  });
}

const OFFSET_MINUTES = [0, 60, -300, 330, 540];

/**
 * rf.remediation input as remediation's buildRemediationPolicyInput shapes it: `now` and freeze
 * bounds in milliseconds, window bounds in minutes of the day, and `now` on the environment's clock.
 */
function remediationRequest(): PolicyRequest {
  const name = pick(ENVS);
  const fleet = int(10, 5_000);
  const minuteOfDay = () => int(0, 23) * 60 + pick([0, 30]);
  const now = Date.UTC(2025, 10, int(1, 30), int(0, 23), int(0, 59), int(0, 59));
  const local = new Date(now + pick(OFFSET_MINUTES) * 60_000);
  // Drawn in a fixed order, then laid out as the builder lays its input out: members sorted.
  const autonomyLevel = int(0, 5);
  const plan = { id: `p-${int(1, 10_000)}`, riskScore: int(0, 100) };
  const waveIndex = int(0, 6);
  const wave = { assets: int(1, Math.max(1, Math.floor(fleet / 5))), index: waveIndex };
  const changeWindows = Array.from({ length: int(0, 3) }, () => {
    const days = DAYS.filter(() => rnd() < 0.6);
    const start = minuteOfDay();
    return { days, end: minuteOfDay(), start };
  });
  const businessHours = rnd() < 0.7 ? { days: DAYS.slice(0, 5), end: 1020, start: 540 } : undefined;
  const freezes = Array.from({ length: int(0, 2) }, () => {
    const day = int(1, 28);
    const end = `2025-11-${String(Math.min(30, day + int(1, 5))).padStart(2, '0')}T00:00:00Z`;
    const freezeName = pick(['black-friday', 'year-end', 'audit']);
    return { end: Date.parse(end), name: freezeName, start: Date.UTC(2025, 10, day), until: end };
  });
  const blastRadius = rnd() < 0.2 ? { maxAssets: int(5, 50) } : undefined;
  const exceptions =
    rnd() < 0.15
      ? [{ expiresAt: '2025-11-30T00:00:00Z', policy: 'rf.remediation', ticket: `EXC-${int(1, 999)}` }]
      : [];
  const input = {
    action: 'remediation.start',
    autonomyLevel,
    environment: {
      ...(businessHours ? { businessHours } : {}),
      ...(blastRadius ? { blastRadius } : {}),
      changeWindows,
      freezes,
      local: {
        minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
        weekday: WEEK[local.getUTCDay()],
      },
      name,
    },
    exceptions,
    fleet: { size: fleet },
    now,
    plan,
    wave,
  };
  return { policy: 'rf.remediation', action: 'remediation.start', input };
}

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  /** Process CPU time per call: unlike wall time, not inflated when other processes share the CPUs. */
  readonly cpu: number;
}

/** Latency in microseconds of each call, over `count` calls cycling through `requests`. */
async function measure(
  count: number,
  requests: readonly PolicyRequest[],
  call: (r: PolicyRequest) => unknown,
): Promise<Stats> {
  const samples = new Float64Array(count);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const r = requests[i % requests.length] as PolicyRequest;
    const start = process.hrtime.bigint();
    const pending = call(r);
    if (pending instanceof Promise) await pending;
    samples[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  const cpuUsed = process.cpuUsage(cpuBefore);
  samples.sort();
  let sum = 0;
  for (const s of samples) sum += s;
  const at = (q: number) => samples[Math.min(count - 1, Math.floor(q * count))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), mean: sum / count, cpu: (cpuUsed.user + cpuUsed.system) / count };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitForHealth(url: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`opa server at ${url} did not become healthy`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function restPath(r: PolicyRequest): string {
  return `/v1/data/${entrypointOf(r.policy)}`;
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rf-policy-bench-'));
  const bundlePath = join(dir, 'bundle.tar.gz');
  const keys = generateKeyPairSync('ed25519');
  const keyPath = join(dir, 'signing.pem');
  writeFileSync(keyPath, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  execFileSync(join(ROOT, 'contracts/policies/build.sh'), ['--no-record', '--sign', keyPath, bundlePath], {
    stdio: 'inherit',
  });
  const bundle = readFileSync(bundlePath);
  const signature = readFileSync(`${bundlePath}.sig`);

  const wasm = await loadWasmBundle(bundle);
  const gate = new PolicyGate({
    service: 'remediation',
    mode: 'prod',
    publicKey: keys.publicKey,
    recorder: new InMemoryDecisionRecorder(),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const loaded = await gate.loadBundle(bundle, signature);
  if (!loaded.ok) throw loaded.error;

  // The REST side serves the same Rego sources as an ordinary (rego-target) bundle: a wasm bundle
  // carries its decision rules only inside policy.wasm, and this opa binary has no wasm engine.
  const regoBundle = join(dir, 'rego-bundle.tar.gz');
  execFileSync(opaBin, ['build', '--ignore', '*_test.rego', '-o', regoBundle, '.'], {
    cwd: join(ROOT, 'contracts/policies'),
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(
    opaBin,
    ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', '--bundle', regoBundle],
    {
      stdio: 'ignore',
    },
  );

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const viaFetch = async (r: PolicyRequest): Promise<unknown> => {
    const response = await fetch(`${url}${restPath(r)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: r.input }),
    });
    return ((await response.json()) as { result?: unknown }).result;
  };
  const viaHttp = (r: PolicyRequest): Promise<unknown> =>
    new Promise((resolveBody, reject) => {
      const body = JSON.stringify({ input: r.input });
      const req = httpRequest(
        `${url}${restPath(r)}`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const answer = JSON.parse(text) as { result?: unknown };
            if (res.statusCode !== 200 || answer.result === undefined)
              reject(new Error(`opa server answered ${text}`));
            else resolveBody(answer.result);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  try {
    await waitForHealth(url, 15_000);
    const cpu = cpus();
    const opaVersion = execFileSync(opaBin, ['version']).toString().split('\n')[0] ?? '';
    console.log(
      `machine: ${cpu[0]?.model ?? 'unknown cpu'} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
        `${platform()} ${release()} ${arch()}, node ${process.version}, ${opaVersion}, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
    console.log(`bundle ${gate.bundleHash ?? ''}; ${EVALS} evaluations per path after ${WARMUP} warm-up\n`);

    const rows: string[][] = [];
    for (const [label, make] of [
      ['rf.authz', authzRequest],
      ['rf.remediation', remediationRequest],
    ] as const) {
      const requests = Array.from({ length: VARIANTS }, make);

      // Both engines must agree before their speed means anything.
      let results = { allow: 0, needs_approval: 0, deny: 0 };
      for (const r of requests.slice(0, 300)) {
        const inProcess = wasm.evaluate(entrypointOf(r.policy), r.input);
        const remote = await viaHttp(r);
        if (canonicalJson(inProcess) !== canonicalJson(remote)) {
          throw new Error(`wasm and opa server disagree on ${JSON.stringify(r.input)}`);
        }
      }
      for (const r of requests) {
        const result = gate.evaluate(r).result;
        results = { ...results, [result]: results[result] + 1 };
      }

      const paths: [string, (r: PolicyRequest) => unknown][] = [
        ['opa-wasm evaluate', (r) => wasm.evaluate(entrypointOf(r.policy), r.input)],
        ['PolicyGate.evaluate', (r) => gate.evaluate(r)],
        ['REST, fetch', viaFetch],
        ['REST, node:http', viaHttp],
      ];
      const stats = new Map<string, Stats>();
      for (const [name, call] of paths) {
        await measure(WARMUP, requests, call);
        stats.set(name, await measure(EVALS, requests, call));
      }
      const gateStats = stats.get('PolicyGate.evaluate') as Stats;
      const bestRest = [stats.get('REST, fetch'), stats.get('REST, node:http')].reduce((a, b) =>
        a && b && a.p50 <= b.p50 ? a : b,
      ) as Stats;
      console.log(
        `${label}: ${VARIANTS} distinct inputs -> ${results.allow} allow, ${results.needs_approval} needs_approval, ${results.deny} deny`,
      );
      for (const [name, s] of stats) {
        rows.push([
          label,
          name,
          fmt(s.p50),
          fmt(s.p99),
          fmt(s.mean),
          name.startsWith('REST') ? '-' : fmt(s.cpu),
        ]);
      }
      rows.push([
        label,
        'speed-up gate vs best REST',
        `${(bestRest.p50 / gateStats.p50).toFixed(1)}x`,
        `${(bestRest.p99 / gateStats.p99).toFixed(1)}x`,
        `${(bestRest.mean / gateStats.mean).toFixed(1)}x`,
        '',
      ]);
      const ok = gateStats.p50 <= 50 && gateStats.p99 <= 250 && bestRest.p50 / gateStats.p50 >= 10;
      rows.push([label, 'gate targets p50<=50 p99<=250 >=10x', ok ? 'met' : 'NOT met', '', '', '']);
    }

    const header = ['policy', 'path', 'p50 us', 'p99 us', 'mean us', 'cpu us'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    for (const r of rows) console.log(line(r));
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
