import type { INestApplication } from '@nestjs/common';
import { processEnvironment } from '@rf/platform-config';
import { testServiceEnvironment, waitFor } from '@rf/platform-testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadRemediationConfig } from './remediation.config';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  forwardedCaller,
  planEvents,
  resetRemediationDatabase,
  startRemediationApp,
} from './testing/remediation-test.harness';

const ROOT = resolve(__dirname, '../../..');
const WORKER = join(__dirname, 'testing/crash-boundary.worker.ts');
const EV = (name: string) => `io.resiliencefabric.${name}.v1`;

/**
 * Every activity of a two-wave plan, in order: each is a boundary the worker dies at once. The
 * bookkeeping steps are local activities, so a worker lost after one re-runs the earlier steps of
 * the same workflow task too: the step log must turn those into reads.
 */
const BOUNDARIES = [
  'gateWave',
  'recordWaveStarted',
  'applyWave',
  'analyseWaveHealth',
  'recordWaveCompleted',
  'gateWave',
  'recordWaveStarted',
  'applyWave',
  'analyseWaveHealth',
  'recordWaveCompleted',
  'recordPlanCompleted',
];

describe('the remediation worker killed at every activity boundary', () => {
  jest.setTimeout(1_200_000);
  const policy = buildSignedPolicyBundle();
  const env = testServiceEnvironment('remediation', {
    RF_POLICY_MODE: 'prod',
    RF_POLICY_BUNDLE: policy.bundlePath,
    RF_POLICY_PUBLIC_KEY: policy.publicKeyPem,
    RF_REMEDIATION_TASK_QUEUE: `rf-remediation-crash-${randomUUID()}`,
    RF_REMEDIATION_SIM_LATENCY_MS: '5-20',
    RF_REMEDIATION_SOAK_SECONDS: '0',
    RF_REMEDIATION_STARTER_INTERVAL_MS: '200',
    RF_LOG_LEVEL: 'error',
  });
  const config = loadRemediationConfig(env);
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let codePath: string;
  const children = new Set<ChildProcess>();

  /** Starts a worker that hangs after the rollout's Nth activity; resolves with the boundary it reached. */
  function startWorker(haltAt: number): { child: ChildProcess; boundary: Promise<string | null> } {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', WORKER], {
      cwd: ROOT,
      env: {
        ...processEnvironment(),
        ...env,
        SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        RF_CRASH_AT_ACTIVITY: String(haltAt),
        RF_WORKFLOW_BUNDLE: codePath,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    const boundary = new Promise<string | null>((resolveBoundary) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const match = /BOUNDARY (\w+)/u.exec(buffered);
        if (match?.[1]) resolveBoundary(match[1]);
      });
      child.on('exit', () => resolveBoundary(null));
    });
    return { child, boundary };
  }

  function kill(child: ChildProcess): Promise<void> {
    return new Promise((resolveExit) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolveExit();
        return;
      }
      child.once('exit', () => resolveExit());
      child.kill('SIGKILL');
    });
  }

  beforeAll(async () => {
    await resetRemediationDatabase(config);
    ({ codePath } = await bundleRemediationWorkflows());
    ({ app, url } = await startRemediationApp(config));
    db = app.get(DataSource);
  });

  afterAll(async () => {
    for (const child of children) await kill(child);
    await app.close();
  });

  it('completes the plan with every side effect exactly once', async () => {
    const assets = Array.from({ length: 6 }, () => randomUUID()).sort();
    for (const a of assets) {
      await db.query(`INSERT INTO simulated_fleet_assets (asset_id, version) VALUES ($1, '1.0.0')`, [a]);
    }
    const res = await fetch(`${url}/api/v1/remediation/plans`, {
      method: 'POST',
      headers: { ...(await forwardedCaller()), 'content-type': 'application/json' },
      body: JSON.stringify({
        family: 'debian-12-base',
        toVersion: '1.0.1',
        environment: 'dev',
        assetIds: assets,
        factors: { severity: 0.2, exploitability: 0.1, assetCriticality: 0.1 },
        wavePolicy: { canaryPercent: 34, waveCount: 2, errorThresholdPercent: 50, maxConcurrency: 3 },
      }),
    });
    const plan = (await res.json()) as { id: string; status: string; waves: unknown[] };
    expect(res.status).toBe(201);
    expect(plan.status).toBe('approved');
    expect(plan.waves).toHaveLength(2);
    const start = await fetch(`${url}/api/v1/remediation/plans/${plan.id}/start`, {
      method: 'POST',
      headers: await forwardedCaller(),
    });
    expect(start.status).toBe(200);

    // The first worker dies after the first activity; each next one redoes what its predecessor
    // left unreported (whose effects are already done), then dies after the following one.
    const reached: string[] = [];
    for (let haltAt = 1; ; haltAt++) {
      const { child, boundary } = startWorker(haltAt);
      const done = waitForStatus(plan.id, 'completed').then(() => 'completed' as const);
      const first = await Promise.race([boundary, done]);
      if (first === 'completed') {
        await kill(child);
        break;
      }
      if (first === null) throw new Error('the crash worker exited on its own');
      reached.push(first);
      await kill(child);
      if (reached.length > BOUNDARIES.length) throw new Error(`too many boundaries: ${reached.join(', ')}`);
    }
    // Each worker halts only at its own activity id, so a retry handed out twice (a loaded machine)
    // cannot add a kill: every boundary saw exactly one, in order.
    expect(reached).toEqual(BOUNDARIES);

    const fleet = await db.query<{ version: string; changes: number }[]>(
      'SELECT version, changes FROM simulated_fleet_assets WHERE asset_id = ANY($1::uuid[])',
      [assets],
    );
    expect(fleet).toEqual(assets.map(() => ({ version: '1.0.1', changes: 1 })));
    const effects = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM executor_side_effects WHERE plan_id = $1 GROUP BY asset_id, action`,
      [plan.id],
    );
    expect(effects.map((e) => e.n)).toEqual(assets.map(() => '1'));
    const events = await planEvents(db, plan.id);
    expect(events.map((e) => e.event_type)).toEqual([
      EV('remediation.planned'),
      EV('remediation.approved'),
      EV('remediation.wave.started'),
      EV('remediation.wave.completed'),
      EV('remediation.wave.started'),
      EV('remediation.wave.completed'),
      EV('remediation.completed'),
    ]);
    const decisions = await db.query<{ policy: string; n: string }[]>(
      `SELECT data->>'policy' AS policy, count(*) AS n FROM outbox
        WHERE event_type = $1 AND data->'resource'->>'id' = $2 GROUP BY 1 ORDER BY 1`,
      [EV('policy.decided'), plan.id],
    );
    // The start route's authorisation once; the plan and each of its two waves at the gate once,
    // however often the worker died; and each wave again as it is applied, on every attempt that
    // reached the executor (so at least once each).
    expect(decisions.map((d) => d.policy)).toEqual(['rf.authz', 'rf.remediation']);
    expect(decisions[0]?.n).toBe('1');
    expect(Number(decisions[1]?.n)).toBeGreaterThanOrEqual(3 + 2);
  });

  function waitForStatus(planId: string, status: string): Promise<string> {
    return waitFor(
      async () => {
        const [row] = await db.query<{ status: string }[]>(
          'SELECT status FROM remediation_plans WHERE id = $1',
          [planId],
        );
        return row?.status === status ? status : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 200, description: `plan ${planId} ${status}` },
    );
  }
});
