/**
 * Remediation workflow throughput on the local Temporal, with the simulated fleet. Prints figures;
 * it is not a test.
 *
 *   (a) one plan of RF_BENCH_REMEDIATION_ASSETS assets (default 1000) in RF_BENCH_REMEDIATION_WAVES
 *       waves (default 10), zero soak and zero executor latency, run by CanaryRolloutWorkflow; the
 *       baseline plans the same way and runs the same activities directly, without Temporal. The
 *       difference per wave is the workflow's overhead (task round trips, history, timers).
 *   (b) RF_BENCH_REMEDIATION_PLANS (default 100) small plans (3 assets, 2 waves) started at once:
 *       workflows per second; the baseline plans the same way and runs the same activities
 *       directly, all plans at once.
 *
 *   SWC_NODE_PROJECT=tsconfig.json deploy/local/with-env.sh node -r @swc-node/register \
 *     bench/remediation/remediation.bench.ts
 *
 * It uses the remediation test database (emptied first), or the database named by
 * RF_BENCH_REMEDIATION_DATABASE_URL (its name must contain `test`), and a task queue of its own.
 */
import { NestFactory } from '@nestjs/core';
import { processEnvironment } from '@rf/platform-config';
import type { UnitOfWork } from '@rf/platform-events';
import { assertTestDatabase } from '@rf/platform-persistence';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { connectTemporal } from '@rf/platform-temporal';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { PlanRecord } from '../../services/remediation/src/application/ports/plan-record';
import { RemediationCommands } from '../../services/remediation/src/application/remediation-commands';
import { REMEDIATION_GATE } from '../../services/remediation/src/application/remediation.tokens';
import type { WaveGate } from '../../services/remediation/src/application/wave-gate';
import { SystemClock } from '../../services/remediation/src/infrastructure/clock/system.clock';
import { SimulatedFleetExecutor } from '../../services/remediation/src/infrastructure/executors/simulated-fleet.executor';
import { SimulatedFleetMetricProvider } from '../../services/remediation/src/infrastructure/health/simulated-fleet.metric-provider';
import {
  createRemediationWorker,
  registerSearchAttributes,
} from '../../services/remediation/src/infrastructure/temporal/remediation-worker.factory';
import {
  createRemediationActivities,
  type RemediationActivities,
} from '../../services/remediation/src/infrastructure/temporal/remediation.activities';
import { RemediationModule } from '../../services/remediation/src/remediation.module';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  remediationTestConfig,
  resetRemediationDatabase,
} from '../../services/remediation/src/testing/remediation-test.harness';

const env = processEnvironment();
const ASSETS = Number(env['RF_BENCH_REMEDIATION_ASSETS'] ?? 1000);
const WAVES = Number(env['RF_BENCH_REMEDIATION_WAVES'] ?? 10);
const PLANS = Number(env['RF_BENCH_REMEDIATION_PLANS'] ?? 100);
const CONCURRENCY = 50;
const DATABASE_URL = env['RF_BENCH_REMEDIATION_DATABASE_URL'];
// The bench empties its database first: only a test database may be named.
if (DATABASE_URL) assertTestDatabase(DATABASE_URL);

const ids = (n: number): string[] => Array.from({ length: n }, () => randomUUID()).sort();

async function waitAll(db: DataSource, planIds: readonly string[], deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const [row] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM remediation_plans WHERE id = ANY($1::uuid[]) AND status IN ('completed', 'rolled_back', 'aborted')`,
      [planIds],
    );
    if (Number(row?.n) === planIds.length) return;
    if (Date.now() > deadline)
      throw new Error(`only ${row?.n ?? 0}/${planIds.length} plans finished in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The workflow's sequence of activities for one plan, called directly: the no-Temporal baseline. */
async function runDirect(a: RemediationActivities, plan: PlanRecord): Promise<void> {
  const workflowId = `direct-${plan.id}`;
  for (const wave of plan.waves) {
    const decided = await a.gateWave({
      workflowId,
      planId: plan.id,
      waveIndex: wave.index,
      waveAssets: wave.assetIds.length,
      autonomyLevel: plan.autonomyLevel,
      riskScore: plan.riskScore,
      fleetSize: plan.fleetSize,
      environment: plan.environment,
    });
    const started = await a.recordWaveStarted({
      workflowId,
      planId: plan.id,
      waveIndex: wave.index,
      assetIds: wave.assetIds,
    });
    const applied = await a.applyWave({
      workflowId,
      planId: plan.id,
      toVersion: `${plan.toVersion}-direct`,
      wave,
      gate: {
        autonomyLevel: plan.autonomyLevel,
        riskScore: plan.riskScore,
        fleetSize: plan.fleetSize,
        environment: plan.environment,
        approved: decided.outcome === 'needs_approval',
      },
    });
    await a.analyseWaveHealth({
      planId: plan.id,
      waveIndex: wave.index,
      assetIds: applied.succeededAssetIds,
      toVersion: `${plan.toVersion}-direct`,
    });
    await a.recordWaveCompleted({
      workflowId,
      planId: plan.id,
      waveIndex: wave.index,
      outcome: 'succeeded',
      succeeded: applied.succeededAssetIds.length,
      failedAssetIds: applied.failedAssetIds,
      startedAt: started.startedAt,
    });
  }
}

async function main(): Promise<void> {
  const policy = buildSignedPolicyBundle();
  const config = remediationTestConfig(policy, {
    RF_REMEDIATION_SIM_LATENCY_MS: '0-0',
    RF_REMEDIATION_STARTER_INTERVAL_MS: '100',
    RF_LOG_LEVEL: 'error',
    ...(DATABASE_URL ? { RF_DATABASE_URL: DATABASE_URL } : {}),
  });
  const temporal = config.temporal;
  if (!temporal) throw new Error('no Temporal settings');
  await resetRemediationDatabase(config);
  const app = await NestFactory.createApplicationContext(RemediationModule.register(config), {
    logger: ['error'],
  });
  const db = app.get(DataSource);
  const commands = app.get(RemediationCommands);
  const activities = createRemediationActivities({
    unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
    gate: app.get<WaveGate>(REMEDIATION_GATE),
    executor: new SimulatedFleetExecutor(db, {
      latencyMs: { min: 0, max: 0 },
      failureRate: 0,
      initialVersion: '1.0.0',
    }),
    metrics: new SimulatedFleetMetricProvider(db),
    clock: new SystemClock(),
    settings: config.remediation,
  });
  const connection = await connectTemporal(temporal);
  await registerSearchAttributes(connection, temporal.namespace);
  await connection.close();
  const { worker, connection: native } = await createRemediationWorker({
    temporal,
    taskQueue: config.remediation.taskQueue,
    activities,
    workflowBundle: await bundleRemediationWorkflows(),
    maxConcurrentActivityTaskExecutions: 200,
  });
  const running = worker.run();

  const plan = (assetIds: string[], wavePolicy: Record<string, number>, autoStart = true) =>
    commands.plan({
      organisation: 'bench',
      source: 'api',
      sourceRef: randomUUID(),
      family: 'bench-base',
      toVersion: '2.0.0',
      environment: 'dev',
      assetIds,
      factors: {
        severity: 0.2,
        exploitability: 0.1,
        assetCriticality: 0.1,
        patchMaturity: 0.1,
        dependencies: 0.1,
        rollbackComplexity: 0.1,
      },
      complianceImpact: 0,
      fleetSize: Math.max(1000, assetIds.length * 2),
      requestedBy: { kind: 'user', id: 'bench' },
      autoStart,
      wavePolicy: { ...wavePolicy, soakSeconds: 0, maxConcurrency: CONCURRENCY, errorThresholdPercent: 10 },
    });

  try {
    // Warm-up: one small plan through Temporal and directly.
    const warm = await plan(ids(3), { canaryPercent: 34, waveCount: 2 });
    await waitAll(db, [warm.id], 60_000);
    await runDirect(activities, warm);

    // (a) one large plan
    const big = await plan(ids(ASSETS), {
      canaryPercent: 100 / WAVES,
      waveCount: WAVES,
      maxWaveSize: ASSETS,
    });
    if (big.status !== 'approved')
      throw new Error(`the large plan is ${big.status}: ${big.statusReason ?? ''}`);
    const t0 = performance.now();
    await waitAll(db, [big.id], 600_000);
    const viaTemporal = performance.now() - t0;
    const d0 = performance.now();
    await runDirect(
      activities,
      await plan(ids(ASSETS), { canaryPercent: 100 / WAVES, waveCount: WAVES, maxWaveSize: ASSETS }, false),
    );
    const direct = performance.now() - d0;
    const [timing] = await db.query<{ first: Date; last: Date }[]>(
      `SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM outbox
        WHERE aggregate_id = $1 AND event_type LIKE 'io.resiliencefabric.remediation.wave.%'`,
      [big.id],
    );

    // (b) many small plans at once
    const s0 = performance.now();
    const smalls = await Promise.all(
      Array.from({ length: PLANS }, () => plan(ids(3), { canaryPercent: 34, waveCount: 2 })),
    );
    await waitAll(
      db,
      smalls.map((p) => p.id),
      600_000,
    );
    const smallTemporal = performance.now() - s0;
    const b0 = performance.now();
    await Promise.all(
      smalls.map(async () =>
        runDirect(activities, await plan(ids(3), { canaryPercent: 34, waveCount: 2 }, false)),
      ),
    );
    const smallDirect = performance.now() - b0;

    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const lines = [
      `remediation bench — ${cpus().length} CPU, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg()[0]?.toFixed(2) ?? '?'}`,
      ``,
      `(a) ${ASSETS} assets in ${WAVES} waves, zero soak, zero executor latency, concurrency ${CONCURRENCY}`,
      `    plan, start and CanaryRolloutWorkflow to completed: ${ms(viaTemporal)}   (${ms(viaTemporal / WAVES)} per wave)`,
      `    first wave.started to last wave.completed:          ${ms(new Date(timing?.last ?? 0).getTime() - new Date(timing?.first ?? 0).getTime())}`,
      `    baseline, planned the same way, activities called directly: ${ms(direct)}   (${ms(direct / WAVES)} per wave)`,
      `    workflow overhead per wave:                         ${ms((viaTemporal - direct) / WAVES)}`,
      ``,
      `(b) ${PLANS} concurrent plans of 3 assets in 2 waves`,
      `    planned and run via Temporal:  ${ms(smallTemporal)}   ${((PLANS * 1000) / smallTemporal).toFixed(1)} workflows/s`,
      `    baseline, planned the same way, activities called directly, all at once:  ${ms(smallDirect)}   ${((PLANS * 1000) / smallDirect).toFixed(1)} plans/s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await app.close();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
