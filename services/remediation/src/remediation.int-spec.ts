import type { INestApplication } from '@nestjs/common';
import { processEnvironment } from '@rf/platform-config';
import type { UnitOfWork } from '@rf/platform-events';
import { OUTBOX_WRITER, UNIT_OF_WORK } from '@rf/platform-runtime';
import { connectTemporal } from '@rf/platform-temporal';
import { waitFor } from '@rf/platform-testing';
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { REMEDIATION_GATE } from './application/remediation.tokens';
import { WaveGate } from './application/wave-gate';
import { SystemClock } from './infrastructure/clock/system.clock';
import { SimulatedFleetExecutor } from './infrastructure/executors/simulated-fleet.executor';
import { SimulatedFleetMetricProvider } from './infrastructure/health/simulated-fleet.metric-provider';
import {
  createRemediationWorker,
  registerSearchAttributes,
} from './infrastructure/temporal/remediation-worker.factory';
import { createRemediationActivities } from './infrastructure/temporal/remediation.activities';
import { SEARCH_ATTRIBUTES } from './infrastructure/temporal/workflows/rollout.contract';
import type { RemediationConfig } from './remediation.config';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  DriftEventProducer,
  forwardedCaller,
  planEvents,
  remediationTestConfig,
  resetRemediationDatabase,
  startRemediationApp,
  waitForPlanStatus,
} from './testing/remediation-test.harness';

const EV = (name: string) => `io.resiliencefabric.${name}.v1`;

/** Who the body says acts: the gateway forwards that person, whom the service then records. */
function claimedActor(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const key of ['requestedBy', 'approver', 'actor', 'by']) {
    const claim = (body as Record<string, unknown>)[key];
    if (typeof claim === 'object' && claim !== null && 'id' in claim && typeof claim.id === 'string') {
      return claim.id;
    }
  }
  return undefined;
}

interface Problem {
  status: number;
  code: string;
  detail: string;
}

describe('the remediation service', () => {
  jest.setTimeout(180_000);
  let config: RemediationConfig;
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  let drift: DriftEventProducer;
  let client: Client;
  const silenced = new Set<string>();

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the response shape
  const post = async <T>(
    path: string,
    body: unknown = {},
  ): Promise<{ status: number; type: string; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...(await forwardedCaller(claimedActor(body))), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as T };
  };
  const get = async (path: string): Promise<unknown> =>
    (await fetch(`${url}${path}`, { headers: await forwardedCaller() })).json();

  /** With RF_RECORD_REMEDIATION_HISTORY=1, refreshes the replay fixtures from this run. */
  const recordHistory = async (workflowId: string, name: string): Promise<void> => {
    if (processEnvironment()['RF_RECORD_REMEDIATION_HISTORY'] !== '1') return;
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(
      join(__dirname, `infrastructure/temporal/fixtures/${name}.history.json`),
      JSON.stringify(history, null, 2),
    );
  };

  beforeAll(async () => {
    const policy = buildSignedPolicyBundle();
    config = remediationTestConfig(policy);
    await resetRemediationDatabase(config);
    ({ app, url } = await startRemediationApp(config));
    db = app.get(DataSource);
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const connection = await connectTemporal(temporal);
    await registerSearchAttributes(connection, temporal.namespace);
    client = new Client({ connection, namespace: temporal.namespace });
    // The worker shares the app's ports here; in production it is its own process (worker.ts).
    const fleetHealth = new SimulatedFleetMetricProvider(db);
    const activities = createRemediationActivities({
      unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
      gate: app.get<WaveGate>(REMEDIATION_GATE),
      executor: new SimulatedFleetExecutor(db, {
        latencyMs: { min: 5, max: 20 },
        failureRate: 0,
        initialVersion: 'unknown',
      }),
      // The fleet's own health, except for versions a test silences: those report no observations.
      metrics: {
        name: 'simulated',
        sample: (query) => (silenced.has(query.toVersion) ? Promise.resolve([]) : fleetHealth.sample(query)),
      },
      clock: new SystemClock(),
      settings: config.remediation,
    });
    ({ worker, connection: native } = await createRemediationWorker({
      temporal,
      taskQueue: config.remediation.taskQueue,
      activities,
      workflowBundle: await bundleRemediationWorkflows(),
    }));
    running = worker.run();
    drift = new DriftEventProducer(app, config.registry.url);
    expect(app.get(OUTBOX_WRITER)).toBeDefined();
  });

  afterAll(async () => {
    await drift.close();
    worker.shutdown();
    await running;
    await native.close();
    await client.connection.close();
    await app.close();
  });

  it('remediates a drift.detected from Kafka: plan, gate, canary, success', async () => {
    const assetId = randomUUID();
    await db.query(`INSERT INTO simulated_fleet_assets (asset_id, version) VALUES ($1, '2025.10.1')`, [
      assetId,
    ]);
    const eventId = await drift.send({
      driftId: randomUUID(),
      assetId,
      family: 'ubuntu-22-04-base',
      runningVersion: '2025.10.1',
      expectedVersion: '2025.11.1',
      channel: 'dev',
      cause: 'outdated',
      driftAgeDays: 3,
      environment: 'dev',
      platform: 'simulated',
      detectedAt: new Date().toISOString(),
    });
    const plan = await waitFor(
      async () => {
        const [row] = await db.query<{ id: string; status: string }[]>(
          'SELECT id, status FROM remediation_plans WHERE source_ref = $1',
          [eventId],
        );
        return row;
      },
      { timeoutMs: 60_000, description: 'a plan for the drift' },
    );
    await waitForPlanStatus(db, plan.id, 'completed');

    const [asset] = await db.query<{ version: string; changes: number }[]>(
      'SELECT version, changes FROM simulated_fleet_assets WHERE asset_id = $1',
      [assetId],
    );
    expect(asset).toEqual({ version: '2025.11.1', changes: 1 });
    const types = (await planEvents(db, plan.id)).map((e) => e.event_type);
    expect(types).toEqual([
      EV('remediation.planned'),
      EV('remediation.approved'),
      EV('remediation.wave.started'),
      EV('remediation.wave.completed'),
      EV('remediation.completed'),
    ]);
    // The plan and its events were caused by the drift event; the assessment and gate decisions too.
    const caused = await db.query<{ event_type: string }[]>(
      'SELECT event_type FROM outbox WHERE causation_id = $1 ORDER BY occurred_at',
      [eventId],
    );
    expect(caused.map((r) => r.event_type)).toEqual(
      expect.arrayContaining([EV('risk.assessed'), EV('policy.decided'), EV('remediation.planned')]),
    );
    const [decisions] = await db.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM outbox WHERE event_type = $1 AND data->'resource'->>'id' = $2`,
      [EV('policy.decided'), plan.id],
    );
    expect(Number(decisions?.n)).toBe(3); // the plan, then its one wave: at the gate and as it is applied
    const view = (await get(`/api/v1/remediation/plans/${plan.id}`)) as {
      progress: { phase: string; wavesCompleted: number };
      assessment: { score: number };
    };
    expect(view.progress).toMatchObject({ phase: 'completed', wavesCompleted: 1 });
    expect(view.assessment.score).toBeGreaterThan(0);
    const described = await client.workflow.getHandle(`remediation-plan-${plan.id}`).describe();
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.planId)).toBe(plan.id);
    expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.phase)).toBe('completed');

    // A second drift for the same asset while it cools down is skipped, not planned again.
    const again = await drift.send({
      driftId: randomUUID(),
      assetId,
      family: 'ubuntu-22-04-base',
      runningVersion: '2025.10.1',
      expectedVersion: '2025.11.2',
      cause: 'outdated',
      driftAgeDays: 0,
      environment: 'dev',
      platform: 'simulated',
      detectedAt: new Date().toISOString(),
    });
    await waitFor(
      async () => {
        const rows = await db.query<unknown[]>('SELECT 1 FROM inbox WHERE event_id = $1', [again]);
        return rows.length > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the second drift consumed' },
    );
    const plans = await db.query<unknown[]>('SELECT 1 FROM remediation_plans WHERE source_ref = $1', [again]);
    expect(plans).toHaveLength(0);

    await recordHistory(`remediation-plan-${plan.id}`, 'canary-rollout.completed');

    // A completed plan can still be rolled back on its own, by a person.
    const rolledBack = await post<{ status: string }>(`/api/v1/remediation/plans/${plan.id}/rollback`, {
      actor: { kind: 'user', id: 'u-sre' },
      reason: 'the new image breaks the payment agent',
    });
    expect(rolledBack.status).toBe(200);
    await waitForPlanStatus(db, plan.id, 'rolled_back');
    const [restored] = await db.query<{ version: string; changes: number }[]>(
      'SELECT version, changes FROM simulated_fleet_assets WHERE asset_id = $1',
      [assetId],
    );
    expect(restored).toEqual({ version: '2025.10.1', changes: 2 });
    expect((await planEvents(db, plan.id)).at(-1)).toMatchObject({
      event_type: EV('remediation.rolled_back'),
      data: { trigger: 'manual', assetsRolledBack: 1, initiatedBy: { kind: 'user', id: 'u-sre' } },
    });
    const twice = await post<{ code: string }>(`/api/v1/remediation/plans/${plan.id}/rollback`);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REMEDIATION.INVALID_TRANSITION');
  });

  it('rolls back the completed waves when a wave fails, and emits remediation.rolled_back', async () => {
    const assets = Array.from({ length: 10 }, () => randomUUID()).sort();
    for (const a of assets) {
      await db.query(`INSERT INTO simulated_fleet_assets (asset_id, version) VALUES ($1, '1.0.0')`, [a]);
    }
    // Waves of 2, 4, 4 (sorted ids): the first asset of the second wave fails to apply.
    await db.query('UPDATE simulated_fleet_assets SET fail_apply = true WHERE asset_id = $1', [assets[2]]);
    const created = await post<{ id: string; status: string; waves: { assetIds: string[] }[] }>(
      '/api/v1/remediation/plans',
      {
        family: 'rhel-9-base',
        toVersion: '1.1.0',
        environment: 'staging',
        assetIds: assets,
        vulnerability: { id: 'CVE-2025-0001', severity: 0.9, exploitability: 0.9 },
        factors: { assetCriticality: 0.9 },
        wavePolicy: { canaryPercent: 20, waveCount: 3, errorThresholdPercent: 0, soakSeconds: 1 },
        requestedBy: { kind: 'user', id: 'u-requester' },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body.waves.map((w) => w.assetIds.length)).toEqual([2, 4, 4]);
    // Risk 0.69+ gives autonomy level 1: a person must approve.
    expect(created.body.status).toBe('awaiting_approval');
    const planId = created.body.id;

    const early = await post<Problem>(`/api/v1/remediation/plans/${planId}/start`);
    expect(early.status).toBe(409);
    expect(early.type).toContain('application/problem+json');
    expect(early.body.code).toBe('REMEDIATION.INVALID_TRANSITION');

    const approved = await post<{ status: string }>(`/api/v1/remediation/plans/${planId}/approve`, {
      approver: { kind: 'user', id: 'u-approver' },
      comment: 'patch window agreed',
    });
    expect(approved.body.status).toBe('approved');
    const started = await post<{ status: string }>(`/api/v1/remediation/plans/${planId}/start`);
    expect(started.status).toBe(200);

    await waitForPlanStatus(db, planId, 'rolled_back');
    const fleet = await db.query<{ asset_id: string; version: string; changes: number }[]>(
      'SELECT asset_id, version, changes FROM simulated_fleet_assets WHERE asset_id = ANY($1::uuid[]) ORDER BY asset_id',
      [assets],
    );
    expect(fleet.map((f) => f.version)).toEqual(assets.map(() => '1.0.0'));
    // The canary's two assets were changed and changed back; nothing else was touched.
    expect(fleet.map((f) => f.changes)).toEqual([2, 2, 0, 0, 0, 0, 0, 0, 0, 0]);

    const events = await planEvents(db, planId);
    expect(events.map((e) => e.event_type)).toEqual([
      EV('remediation.planned'),
      EV('remediation.approved'),
      EV('remediation.wave.started'),
      EV('remediation.wave.completed'),
      EV('remediation.wave.started'),
      EV('remediation.wave.completed'),
      EV('remediation.rolled_back'),
    ]);
    expect(events[5]?.data).toMatchObject({
      waveIndex: 1,
      outcome: 'failed',
      failed: 1,
      failedAssetIds: [assets[2]],
    });
    expect(events[6]?.data).toMatchObject({
      trigger: 'health_check_failed',
      failedWaveIndex: 1,
      assetsRolledBack: 2,
      initiatedBy: { kind: 'service', id: 'remediation' },
    });
    // Published to Kafka by the relay.
    await waitFor(
      async () => {
        const [row] = await db.query<{ published: boolean }[]>(
          `SELECT published_at IS NOT NULL AS published FROM outbox WHERE aggregate_id = $1 AND event_type = $2`,
          [planId, EV('remediation.rolled_back')],
        );
        return row?.published ? true : undefined;
      },
      { timeoutMs: 30_000, description: 'rolled_back published' },
    );
    await recordHistory(`remediation-plan-${planId}`, 'canary-rollout.rolled-back');
    await recordHistory(`remediation-plan-${planId}-rollback`, 'rollback.rolled-back');
    // Locks are released: the same assets can be planned again.
    const locks = await db.query<unknown[]>('SELECT 1 FROM remediation_target_locks WHERE plan_id = $1', [
      planId,
    ]);
    expect(locks).toHaveLength(0);
  });

  it('rejects what the gate denies, locks overlapping targets, and answers bad input with problem+json', async () => {
    const big = Array.from({ length: 30 }, () => randomUUID());
    const denied = await post<{ id: string; status: string; statusReason: string }>(
      '/api/v1/remediation/plans',
      {
        family: 'rhel-9-base',
        toVersion: '1.2.0',
        environment: 'prod',
        assetIds: big,
        factors: { severity: 0.1, exploitability: 0.1, assetCriticality: 0.1 },
        wavePolicy: { canaryPercent: 100, maxWaveSize: 30 },
        fleetSize: 1000,
      },
    );
    expect(denied.status).toBe(201);
    expect(denied.body.status).toBe('rejected');
    expect(denied.body.statusReason).toContain('exceeds the prod limit of 25 per wave');
    const rejected = await planEvents(db, denied.body.id);
    expect(rejected.map((e) => e.event_type)).toEqual([
      EV('remediation.planned'),
      EV('remediation.rejected'),
    ]);

    const assets = [randomUUID(), randomUUID()];
    const first = await post<{ id: string }>('/api/v1/remediation/plans', {
      family: 'rhel-9-base',
      toVersion: '1.2.0',
      environment: 'dev',
      assetIds: assets,
    });
    expect(first.status).toBe(201);
    const overlapping = await post<Problem>('/api/v1/remediation/plans', {
      family: 'rhel-9-base',
      toVersion: '1.2.1',
      environment: 'dev',
      assetIds: [assets[1], randomUUID()],
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.code).toBe('REMEDIATION.TARGET_LOCKED');

    const aborted = await post<{ status: string }>(`/api/v1/remediation/plans/${first.body.id}/abort`, {
      reason: 'superseded',
    });
    expect(aborted.body.status).toBe('aborted');
    const bad = await post<Problem>('/api/v1/remediation/plans', { family: 'Not Valid', assetIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.code).toBe('REMEDIATION.INVALID_INPUT');
    expect(bad.body.detail).toContain('assetIds');
    const missing = await fetch(`${url}/api/v1/remediation/plans/${randomUUID()}`, {
      headers: await forwardedCaller(),
    });
    expect(missing.status).toBe(404);

    const [assessment] = await db.query<{ assessment_id: string }[]>(
      'SELECT assessment_id FROM remediation_plans WHERE id = $1',
      [first.body.id],
    );
    const override = await post<{ autonomyLevel: number }>(
      `/api/v1/remediation/assessments/${assessment?.assessment_id}/overrides`,
      { autonomyLevel: 1, reason: 'change freeze talks', by: { kind: 'user', id: 'u-lead' } },
    );
    expect(override.status).toBe(201);
    const [stored] = await db.query<{ reason: string; autonomy_level: number }[]>(
      'SELECT reason, autonomy_level FROM risk_overrides WHERE assessment_id = $1',
      [assessment?.assessment_id],
    );
    expect(stored).toEqual({ reason: 'change freeze talks', autonomy_level: 1 });
  });

  it('pauses on inconclusive health and re-analyses on resume', async () => {
    const assets = [randomUUID(), randomUUID()].sort();
    silenced.add('3.0.0');
    const created = await post<{ id: string; status: string }>('/api/v1/remediation/plans', {
      family: 'silent-base',
      toVersion: '3.0.0',
      environment: 'dev',
      assetIds: assets,
      factors: { severity: 0.1, exploitability: 0.1, assetCriticality: 0.1 },
      wavePolicy: { canaryPercent: 100, soakSeconds: 0 },
    });
    expect(created.body.status).toBe('approved');
    await post(`/api/v1/remediation/plans/${created.body.id}/start`);
    await waitForPlanStatus(db, created.body.id, 'paused');
    const paused = (await get(`/api/v1/remediation/plans/${created.body.id}`)) as {
      plan: { statusReason: string };
      progress: { paused: boolean; phase: string };
    };
    expect(paused.plan.statusReason).toContain('health inconclusive');
    expect(paused.progress).toMatchObject({ paused: true, phase: 'paused' });

    silenced.delete('3.0.0');
    const resumed = await post<{ status: string }>(`/api/v1/remediation/plans/${created.body.id}/resume`, {
      actor: { kind: 'user', id: 'u-sre' },
    });
    expect(resumed.status).toBe(200);
    await waitForPlanStatus(db, created.body.id, 'completed');
    const events = await planEvents(db, created.body.id);
    expect(events.map((e) => e.event_type)).toEqual([
      EV('remediation.planned'),
      EV('remediation.approved'),
      EV('remediation.wave.started'),
      EV('remediation.paused'),
      EV('remediation.resumed'),
      EV('remediation.wave.completed'),
      EV('remediation.completed'),
    ]);
    expect(events[3]?.data).toMatchObject({ cause: 'health_inconclusive', waveIndex: 0 });
    expect(events[4]?.data).toMatchObject({ resumedBy: { kind: 'user', id: 'u-sre' } });
  });

  it('aborts a soaking plan and rolls back what ran', async () => {
    const assets = Array.from({ length: 4 }, () => randomUUID()).sort();
    for (const a of assets) {
      await db.query(`INSERT INTO simulated_fleet_assets (asset_id, version) VALUES ($1, '5.0.0')`, [a]);
    }
    const created = await post<{ id: string }>('/api/v1/remediation/plans', {
      family: 'soak-base',
      toVersion: '5.1.0',
      environment: 'dev',
      assetIds: assets,
      factors: { severity: 0.1, exploitability: 0.1, assetCriticality: 0.1 },
      wavePolicy: { canaryPercent: 50, waveCount: 2, soakSeconds: 600 },
    });
    await post(`/api/v1/remediation/plans/${created.body.id}/start`);
    await waitFor(
      async () => {
        const view = (await get(`/api/v1/remediation/plans/${created.body.id}`)) as {
          progress: { phase: string } | null;
        };
        return view.progress?.phase === 'soaking' ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the canary soaking' },
    );
    const aborted = await post<{ status: string }>(`/api/v1/remediation/plans/${created.body.id}/abort`, {
      actor: { kind: 'user', id: 'u-sre' },
      reason: 'error budget looks wrong',
    });
    expect(aborted.status).toBe(200);
    await waitForPlanStatus(db, created.body.id, 'aborted');
    const events = await planEvents(db, created.body.id);
    expect(events.at(-1)).toMatchObject({
      event_type: EV('remediation.rolled_back'),
      data: {
        trigger: 'manual',
        reason: 'error budget looks wrong',
        assetsRolledBack: 2,
        initiatedBy: { id: 'u-sre' },
      },
    });
    const versions = await db.query<{ version: string }[]>(
      'SELECT version FROM simulated_fleet_assets WHERE asset_id = ANY($1::uuid[])',
      [assets],
    );
    expect(versions.map((v) => v.version)).toEqual(assets.map(() => '5.0.0'));
  });
});
