/**
 * Drift engine figures on the local stack. Prints figures; it is not a test. The read model holds two
 * organisations: the measured one (acme, the HTTP caller's) and one a tenth of its size (globex) that
 * every query, reconcile and report must leave out.
 *
 *   (a) full recompute (the periodic reconcile) of the whole read model: load every asset, family and
 *       reference from PostgreSQL, judge every asset, rebuild every counter and compare with the stored
 *       ones; printed beside one SQL GROUP BY over the same drift_assets rows (the baseline: counting
 *       stored verdicts, judging nothing)
 *   (b) incremental throughput: asset events through the in-memory engine (verdict, two counter
 *       updates, episode), and through the PostgreSQL path the inbox runs (one transaction per event,
 *       as many in parallel as the asset topic has partitions)
 *   (c) GET /api/v1/drift latency under autocannon (its own process) at a fixed request rate, through the
 *       service's own auth guard (forwarded principal verified, rf.authz evaluated, the decision recorded in
 *       the outbox): with the report cache the service runs with, as a dashboard polls (If-None-Match and
 *       gzip), at a lower rate, and with the cache off; beside the floor the machine sets (a bare node:http
 *       server at the same rate), and the server's CPU time per request, which holds when the machine is
 *       shared
 *
 * Run (the local stack must be up; it recreates the schema drift_bench in rf_drift_test):
 *   SWC_NODE_PROJECT=tsconfig.json node --max-old-space-size=8192 --max-semi-space-size=64 --expose-gc -r @swc-node/register bench/drift/drift.bench.ts
 * Sizes: RF_BENCH_DRIFT_ASSETS (default 100000; the figure is 1000000), RF_BENCH_DRIFT_FAMILIES
 * (500), RF_BENCH_DRIFT_EVENTS (200000 in-memory events), RF_BENCH_DRIFT_DB_EVENTS (3000),
 * RF_BENCH_DRIFT_RATE (500 requests/s), RF_BENCH_DRIFT_LOW_RATE (100), RF_BENCH_DRIFT_LOAD_SECONDS (10); RF_BENCH_DRIFT_HTTP_ONLY=1 runs
 * only (c) against the read model the previous run left.
 */
import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readServiceAuthSettings, ServiceAuthModule } from '@rf/platform-auth';
import { buildSignedPolicyBundle, forwardedPrincipalHeader } from '@rf/platform-auth/testing';
import { processEnvironment } from '@rf/platform-config';
import { CONTRACT_EVENT_CATALOGUE, EVENT_BACKBONE_MIGRATIONS, OutboxWriter } from '@rf/platform-events';
import { OUTBOX_WRITER } from '@rf/platform-runtime';
import { testDatabaseUrl } from '@rf/platform-testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { DriftController } from '../../services/drift/src/api/drift/drift.controller';
import { ApplyDriftInputCommand } from '../../services/drift/src/application/drift/commands/apply-drift-input/apply-drift-input.command';
import { ApplyDriftInputHandler } from '../../services/drift/src/application/drift/commands/apply-drift-input/apply-drift-input.handler';
import { ReconcileDriftHandler } from '../../services/drift/src/application/drift/commands/reconcile-drift/reconcile-drift.handler';
import { GetDriftReportHandler } from '../../services/drift/src/application/drift/queries/get-drift-report/get-drift-report.handler';
import { GetDriftTrendHandler } from '../../services/drift/src/application/drift/queries/get-drift-trend/get-drift-trend.handler';
import type { DriftEngine } from '../../services/drift/src/domain/drift/drift-engine';
import type { AssetFacts, DriftInput } from '../../services/drift/src/domain/drift/drift.types';
import { OrganisationDriftEngines } from '../../services/drift/src/domain/drift/organisation-drift-engines';
import { DRIFT_ENGINE_MIGRATIONS } from '../../services/drift/src/infrastructure/drift/persistence/drift-engine-migrations';
import { PostgresDriftReadModel } from '../../services/drift/src/infrastructure/drift/persistence/postgres-drift.read-model';
import { PostgresDriftStore } from '../../services/drift/src/infrastructure/drift/persistence/postgres-drift.store';
import { simulateDriftFleet } from '../../services/drift/src/testing/simulated-drift-fleet.fixture';

const env = processEnvironment();
const ASSETS = Number(env['RF_BENCH_DRIFT_ASSETS'] ?? 100_000);
const FAMILIES = Number(env['RF_BENCH_DRIFT_FAMILIES'] ?? 500);
const EVENTS = Number(env['RF_BENCH_DRIFT_EVENTS'] ?? 200_000);
const DB_EVENTS = Number(env['RF_BENCH_DRIFT_DB_EVENTS'] ?? 3_000);
const RATE = Number(env['RF_BENCH_DRIFT_RATE'] ?? 500);
const LOW_RATE = Number(env['RF_BENCH_DRIFT_LOW_RATE'] ?? 100);
const LOAD_SECONDS = Number(env['RF_BENCH_DRIFT_LOAD_SECONDS'] ?? 10);
const SCHEMA = 'drift_bench';
/** The organisation measured: the one the bench's HTTP caller belongs to. */
const ORG = 'acme';
/** A second organisation in the same tables, a tenth of the size, that every query must leave out. */
const OTHER_ORG = 'globex';
const PARTITIONS = 6;
/** Only (c), against the read model a previous run left in the schema. */
const HTTP_ONLY = env['RF_BENCH_DRIFT_HTTP_ONLY'] === '1';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const line = (label: string, value: string, note = '') =>
  console.log(`  ${label.padEnd(52)} ${value.padStart(16)}  ${note}`);

async function median(runs: number, run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await run());
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? NaN;
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Asset events a busy fleet sends: rebuilds on another release, power flips, moves between versions. */
function churn(assets: readonly AssetFacts[], count: number, seed: number): DriftInput[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const out: DriftInput[] = [];
  for (let i = 0; i < count; i += 1) {
    const a = assets[Math.floor(next() * assets.length)];
    if (a === undefined) break;
    const u = next();
    if (u < 0.5 && a.imageRef !== null) {
      // Another release of the same family on the same platform: refs end in the release index.
      const release = Math.floor(next() * 11);
      out.push({
        kind: 'asset-seen',
        asset: { ...a, imageRef: a.imageRef.replace(/-\d+$/u, `-${release}`) },
      });
    } else {
      out.push({ kind: 'asset-seen', asset: { ...a, state: a.state === 'running' ? 'stopped' : 'running' } });
    }
  }
  return out;
}

async function main(): Promise<void> {
  console.log(
    `drift bench: ${fmt(ASSETS)} assets, ${FAMILIES} families; ${cpus().length} CPUs, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  const url = testDatabaseUrl('drift');
  const db = new DataSource({
    type: 'postgres',
    url,
    applicationName: 'rf-drift-bench',
    extra: { max: PARTITIONS + 2, options: `-c search_path=${SCHEMA}` },
  });
  await db.initialize();
  if (HTTP_ONLY) {
    const [row] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM drift_assets');
    console.log(`read model left by a previous run: ${fmt(row?.n ?? 0)} assets`);
    await httpFigures(db);
    await db.destroy();
    return;
  }
  await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
  const runner = db.createQueryRunner();
  for (const Migration of DRIFT_ENGINE_MIGRATIONS) await new Migration().up(runner);
  await runner.release();

  await engineFigures(db);
  // The fleet and the engine are garbage now; the HTTP server should not carry them.
  (globalThis as { gc?: () => void }).gc?.();
  await httpFigures(db);
  await db.destroy();
}

/** CPU time of this process since `from`, in ms: the figure that holds on a shared machine. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1_000;
}

/** Writes an organisation's engine state to the read model in bulk; returns its asset count. */
async function loadReadModel(
  db: DataSource,
  organisation: string,
  engine: DriftEngine,
  now: number,
): Promise<number> {
  const tracked = [...engine.tracked()];
  await db.transaction(async (m) => {
    const store = new PostgresDriftStore(m, organisation);
    await store.saveFamilies(
      [...engine.catalogue.allFamilies()].map((f) => ({
        state: f.state(),
        nextRevocationAt: f.nextRevocationAfter(now),
      })),
    );
    await store.saveRefs([...engine.catalogue.allRefs()].map(([key, coordinates]) => ({ key, coordinates })));
    await store.replaceCounters(engine.counters.all());
  });
  for (const batch of chunks(tracked, 10_000)) {
    await db.transaction((m) => new PostgresDriftStore(m, organisation).saveAssets(batch));
  }
  return tracked.length;
}

async function engineFigures(db: DataSource): Promise<void> {
  // The fleet and its events, judged by the in-memory engine.
  let t = performance.now();
  const fleet = simulateDriftFleet({ seed: 42, assets: ASSETS, families: FAMILIES });
  const generateMs = performance.now() - t;
  const engines = new OrganisationDriftEngines(randomUUID);
  const engine = engines.of(ORG);
  t = performance.now();
  let cpu = process.cpuUsage();
  for (const event of fleet.events) engines.apply(ORG, event, fleet.now);
  const buildMs = performance.now() - t;
  const buildCpu = cpuMs(cpu);
  console.log(`\nfleet: ${fmt(fleet.events.length)} events generated in ${ms(generateMs)}`);
  line(
    'in-memory engine, whole event stream (images + assets)',
    `${fmt(fleet.events.length / (buildMs / 1000))} ev/s`,
    `(${ms(buildMs)} wall; ${fmt(fleet.events.length / (buildCpu / 1000))} ev per CPU-second)`,
  );

  // Load the read model in bulk: the measured organisation, and a smaller one beside it.
  const other = simulateDriftFleet({ seed: 43, assets: Math.ceil(ASSETS / 10), families: FAMILIES });
  for (const event of other.events) engines.apply(OTHER_ORG, event, other.now);
  t = performance.now();
  const tracked = [...engine.tracked()];
  await loadReadModel(db, ORG, engine, fleet.now);
  const otherAssets = await loadReadModel(db, OTHER_ORG, engines.of(OTHER_ORG), other.now);
  await db.query('VACUUM ANALYZE drift_assets');
  await db.query('ANALYZE drift_counters');
  console.log(
    `read model loaded: ${fmt(tracked.length)} assets of ${ORG} and ${fmt(otherAssets)} of ${OTHER_ORG} ` +
      `in ${ms(performance.now() - t)}`,
  );

  // (a) Full recompute beside one GROUP BY.
  console.log('\n(a) full recompute');
  const reconcile = new ReconcileDriftHandler(randomUUID);
  let lastLoad = 0;
  let lastCompute = 0;
  let repaired = 0;
  const recompute = await median(3, async () => {
    const start = performance.now();
    await db.transaction(async (m) => {
      const { result } = await reconcile.execute(new PostgresDriftStore(m, ORG), fleet.now);
      lastLoad = result.loadMs;
      lastCompute = result.computeMs;
      repaired = result.repairedAssets + result.repairedGroups;
    });
    return performance.now() - start;
  });
  const groupBy = await median(3, async () => {
    const start = performance.now();
    await db.query(
      `SELECT environment, platform, site, family, verdict, state, count(*) FROM drift_assets
        WHERE organisation = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
      [ORG],
    );
    return performance.now() - start;
  });
  line(
    'reconcile: load + judge + count + compare',
    ms(recompute),
    `(load ${ms(lastLoad)}, judge+count ${ms(lastCompute)}; target ≤ 5 s; repaired ${repaired})`,
  );
  line(`baseline: one SQL GROUP BY over ${ORG}'s drift_assets`, ms(groupBy), '(counts stored verdicts only)');

  // (b) Incremental throughput.
  console.log('\n(b) incremental updates');
  const facts = tracked.map((a) => a.facts);
  const events = churn(facts, EVENTS, 7);
  t = performance.now();
  cpu = process.cpuUsage();
  for (const event of events) engines.apply(ORG, event, fleet.now);
  const memMs = performance.now() - t;
  const memCpu = cpuMs(cpu);
  line(
    'in-memory engine, asset events',
    `${fmt(events.length / (memMs / 1000))} ev/s`,
    `(target ≥ 50,000; ${fmt(events.length / (memCpu / 1000))} ev per CPU-second; ${fmt(events.length)} events)`,
  );
  const family = fleet.familyNames[1] ?? 'family-1';
  t = performance.now();
  engine.apply(
    {
      kind: 'image-promoted',
      family,
      version: '2026.12.0',
      toChannel: 'prod',
      allowedLagVersions: null,
      at: fleet.now,
    },
    fleet.now,
  );
  line(
    'in-memory engine, one prod promotion',
    ms(performance.now() - t),
    `(re-judges the ~${fmt(ASSETS / FAMILIES)} assets of a family)`,
  );

  const apply = new ApplyDriftInputHandler(randomUUID);
  const dbEvents = churn(facts, DB_EVENTS, 11);
  let cursor = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: PARTITIONS }, async () => {
      for (let i = cursor++; i < dbEvents.length; i = cursor++) {
        const input = dbEvents[i];
        if (input === undefined) break;
        await db.transaction((m) =>
          apply.execute(new PostgresDriftStore(m, ORG), new ApplyDriftInputCommand(input, fleet.now)),
        );
      }
    }),
  );
  const dbMs = performance.now() - t;
  line(
    `PostgreSQL path, 1 tx per event, ${PARTITIONS} in parallel`,
    `${fmt(dbEvents.length / (dbMs / 1000))} ev/s`,
    `(${fmt(dbEvents.length)} events; inbox and outbox rows not included)`,
  );
  t = performance.now();
  await db.transaction((m) =>
    apply.execute(
      new PostgresDriftStore(m, ORG),
      new ApplyDriftInputCommand(
        {
          kind: 'image-promoted',
          family,
          version: '2026.12.0',
          toChannel: 'prod',
          allowedLagVersions: null,
          at: fleet.now,
        },
        fleet.now,
      ),
    ),
  );
  line(
    'PostgreSQL path, one prod promotion',
    ms(performance.now() - t),
    `(~${fmt(ASSETS / FAMILIES)} assets re-judged and written)`,
  );
  await db.transaction(async (m) => {
    const { result } = await reconcile.execute(new PostgresDriftStore(m, ORG), fleet.now);
    line(
      'reconcile after the incremental updates: repairs',
      String(result.repairedAssets + result.repairedGroups),
      '(0: incremental == full recompute)',
    );
  });
}

interface LoadResult {
  readonly latency: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly requests: { readonly average: number; readonly total: number };
  readonly non2xx: number;
  readonly errors: number;
}

/**
 * autocannon in its own process, as a client would be: the server's CPU time is then its own.
 *
 * - Each line starts with a 2 s warm-up at the same rate that is not recorded (connections opened, both
 *   sides' code compiled), as the service is warm in production.
 * - Each latency is recorded as measured (`--ignoreCoordinatedOmission`). With a rate, autocannon 8
 *   otherwise "corrects" for coordinated omission with an expected interval of `ceil(1 / rate)`, rate
 *   being a connection's requests per second: 1 ms, where its requests are 1000 / rate = 100 ms apart
 *   at 500 req/s over 50 connections. One 60 ms response then counts as 60 samples (60, 59, … 1 ms),
 *   and a few of them make the p99 even of a bare 204 server. A correction with the true interval adds
 *   samples only for responses slower than 100 ms: whenever the printed max stays under it, the
 *   measured figures are the corrected ones.
 * - autocannon paces by the second: each connection sends its share of the rate back to back, one
 *   request in flight, then waits for the next second. The load comes as 50 concurrent clients for
 *   part of each second, harsher than evenly spaced arrivals.
 *
 * `asAutocannonDefault` records as autocannon does by default (its correction, no warm-up), to set
 * the figures beside earlier ones measured that way.
 */
function loadTest(
  url: string,
  rate: number,
  headers: Record<string, string>,
  asAutocannonDefault = false,
): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '--json'];
  if (!asAutocannonDefault) {
    args.push('--ignoreCoordinatedOmission', '--warmup', '[', '-c', '50', '-d', '2', ']');
  }
  args.push('-c', '50', '-R', String(rate));
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push('-d', String(LOAD_SECONDS), url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 2 ** 20 }, (error, stdout) => {
      if (error !== null) reject(new Error(`autocannon failed: ${error.message}`));
      // With a warm-up autocannon prints its summary after the warm-up's: the last line is the run.
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as LoadResult);
    });
  });
}

interface LoadCase {
  readonly label: string;
  readonly path: string;
  readonly rate: number;
  /** Sent as a dashboard would: its credentials, gzip, the validator of the report it holds. */
  readonly conditional?: boolean;
  /** Accepts gzip, as browsers and most HTTP clients do. */
  readonly gzip?: boolean;
  /** Recorded as autocannon records by default (see loadTest). */
  readonly asAutocannonDefault?: boolean;
}

/**
 * A fresh outbox (the auth guard records each decision in it) and inbox in the bench schema, as the
 * current migrations make them.
 */
async function ensureOutbox(db: DataSource): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS outbox, inbox`);
  await db.query(`DROP FUNCTION IF EXISTS outbox_notify()`);
  const runner = db.createQueryRunner();
  for (const Migration of EVENT_BACKBONE_MIGRATIONS) await new Migration().up(runner);
  await runner.release();
}

async function httpFigures(db: DataSource): Promise<void> {
  // (c) GET /api/v1/drift under load.
  console.log(`\n(c) GET /api/v1/drift for ${LOAD_SECONDS} s per line (autocannon, 50 connections)`);
  const readModel = new PostgresDriftReadModel(db);
  const clock = { now: () => new Date() };
  await ensureOutbox(db);
  const policy = buildSignedPolicyBundle();
  const problems: string[] = [];
  const auth = readServiceAuthSettings(
    {
      RF_POLICY_MODE: 'prod',
      RF_POLICY_BUNDLE: policy.bundlePath,
      RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
    },
    problems,
  );
  if (auth === undefined) throw new Error(problems.join('; '));
  const outbox = new OutboxWriter(CONTRACT_EVENT_CATALOGUE, '/rf/drift');
  // The floor this machine sets: a bare node:http server that answers 204, at the same rate.
  const bare = createServer((_req, res) => res.writeHead(204).end());
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const { port } = bare.address() as AddressInfo;
  const floor = await loadTest(`http://127.0.0.1:${port}/`, RATE, {});
  line(
    `floor: bare node:http 204, ${RATE} req/s`,
    `p99 ${ms(floor.latency.p99)}`,
    `(p50 ${ms(floor.latency.p50)}, max ${ms(floor.latency.max)}; load ${loadAverage()})`,
  );
  const floorAsReported = await loadTest(`http://127.0.0.1:${port}/`, RATE, {}, true);
  line(
    `floor, as autocannon records by default`,
    `p99 ${ms(floorAsReported.latency.p99)}`,
    `(p50 ${ms(floorAsReported.latency.p50)}, max ${ms(floorAsReported.latency.max)}; load ${loadAverage()})`,
  );
  await new Promise((resolve) => bare.close(resolve));
  const configurations = [
    {
      name: 'report cache 1 s (service default)',
      maxAgeMs: 1_000,
      cases: [
        { label: 'whole fleet', path: '/api/v1/drift', rate: RATE },
        {
          label: 'whole fleet, as autocannon records by default',
          path: '/api/v1/drift',
          rate: RATE,
          asAutocannonDefault: true,
        },
        { label: 'env=prod&platform=aws', path: '/api/v1/drift?env=prod&platform=aws', rate: RATE },
        { label: 'whole fleet, gzip', path: '/api/v1/drift', rate: RATE, gzip: true },
        { label: 'whole fleet, If-None-Match + gzip', path: '/api/v1/drift', rate: RATE, conditional: true },
        { label: 'whole fleet', path: '/api/v1/drift', rate: LOW_RATE },
      ],
    },
    {
      name: 'baseline: no cache, every request reads',
      maxAgeMs: 0,
      // Uncached, the server falls behind and the backlog would spill into a second path's figures.
      cases: [{ label: 'whole fleet', path: '/api/v1/drift', rate: RATE }],
    },
  ] satisfies { name: string; maxAgeMs: number; cases: LoadCase[] }[];
  for (const { name, maxAgeMs, cases } of configurations) {
    @Global()
    @Module({
      providers: [
        { provide: DataSource, useValue: db },
        { provide: OUTBOX_WRITER, useValue: outbox },
      ],
      exports: [DataSource, OUTBOX_WRITER],
    })
    class BenchPlatformModule {}
    // The service's own guard: forwarded principal verified, rf.authz evaluated by the wasm bundle,
    // the decision recorded in the outbox (one INSERT per request).
    @Module({
      imports: [BenchPlatformModule, ServiceAuthModule.forService({ service: 'drift', settings: auth })],
      controllers: [DriftController],
      providers: [
        { provide: GetDriftReportHandler, useValue: new GetDriftReportHandler(readModel, clock, maxAgeMs) },
        { provide: GetDriftTrendHandler, useValue: new GetDriftTrendHandler(readModel) },
      ],
    })
    class DriftBenchModule {}
    const app = await NestFactory.create(DriftBenchModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    // A freshly started service compiles its request path, fills its report cache and settles its
    // heap under the first load: one unrecorded run of the first case, so every line is steady state
    // (a service in production has long been running), not only the lines after the first.
    const first = cases[0];
    if (first !== undefined) {
      await loadTest(
        `${base}${first.path}`,
        first.rate,
        await forwardedPrincipalHeader('drift', { role: 'viewer' }),
      );
    }
    for (const c of cases) {
      const headers = await forwardedPrincipalHeader('drift', { role: 'viewer' });
      if (c.conditional === true) {
        const first = await fetch(`${base}${c.path}`, {
          headers: { ...headers, 'accept-encoding': 'identity' },
        });
        const plain = (await first.arrayBuffer()).byteLength;
        const zipped = await fetch(`${base}${c.path}`, {
          headers: { ...headers, 'accept-encoding': 'gzip' },
        });
        const gzipBytes = Number(zipped.headers.get('content-length'));
        await zipped.arrayBuffer();
        line('report body, whole fleet', `${fmt(plain / 1024)} KiB`, `(gzip ${fmt(gzipBytes / 1024)} KiB)`);
        headers['accept-encoding'] = 'gzip';
        headers['if-none-match'] = first.headers.get('etag') ?? '';
      }
      if (c.gzip === true) headers['accept-encoding'] = 'gzip';
      const decisionsBefore = await outboxRows(db);
      const cpu = process.cpuUsage();
      const result = await loadTest(`${base}${c.path}`, c.rate, headers, c.asAutocannonDefault === true);
      const serverCpu = cpuMs(cpu);
      const recorded = (await outboxRows(db)) - decisionsBefore;
      line(
        `${name}, ${c.label}, ${c.rate} req/s`,
        `p99 ${ms(result.latency.p99)}`,
        `(p50 ${ms(result.latency.p50)}, max ${ms(result.latency.max)}, ` +
          `${fmt(result.requests.average)} req/s, non-2xx ${result.non2xx}, ` +
          `errors ${result.errors}; server CPU ${ms(serverCpu / Math.max(1, result.requests.total))}/request; ` +
          `${fmt(recorded)} decisions recorded; load ${loadAverage()}; target p99 ≤ 50 ms)`,
      );
    }
    await app.close();
  }
  rmSync(policy.dir, { recursive: true, force: true });
}

async function outboxRows(db: DataSource): Promise<number> {
  const [row] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM outbox`);
  return row?.n ?? 0;
}

function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
