import type { INestApplication } from '@nestjs/common';
import type { UnitOfWork } from '@rf/platform-events';
import { UNIT_OF_WORK } from '@rf/platform-runtime';
import { waitFor } from '@rf/platform-testing';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { REMEDIATION_GATE } from './application/remediation.tokens';
import { WaveGate } from './application/wave-gate';
import { SystemClock } from './infrastructure/clock/system.clock';
import { SimulatedFleetExecutor } from './infrastructure/executors/simulated-fleet.executor';
import { SimulatedFleetMetricProvider } from './infrastructure/health/simulated-fleet.metric-provider';
import { createRemediationWorker } from './infrastructure/temporal/remediation-worker.factory';
import { createRemediationActivities } from './infrastructure/temporal/remediation.activities';
import type { RemediationConfig } from './remediation.config';
import {
  buildSignedPolicyBundle,
  bundleRemediationWorkflows,
  DriftEventProducer,
  forwardedCaller,
  remediationTestConfig,
  resetRemediationDatabase,
  startRemediationApp,
  waitForPlanStatus,
} from './testing/remediation-test.harness';

const EV = (name: string) => `io.resiliencefabric.${name}.v1`;

interface Reply<T> {
  readonly status: number;
  readonly type: string;
  readonly body: T;
}

interface PlanBody {
  readonly id: string;
  readonly organisation: string;
  readonly status: string;
  readonly assessmentId: string;
}

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly title?: string;
}

/**
 * Two organisations, acme and globex, on one remediation service: each sees and steers only its own
 * plans, the same asset may be planned in both, and every event and decision of a plan is recorded
 * in the plan's organisation.
 */
describe('remediation tenancy', () => {
  jest.setTimeout(180_000);
  let config: RemediationConfig;
  let app: INestApplication;
  let url: string;
  let db: DataSource;
  let worker: Worker;
  let native: NativeConnection;
  let running: Promise<void>;
  let drift: DriftEventProducer;

  const call = async <T>(org: string, method: string, path: string, body?: unknown): Promise<Reply<T>> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...(await forwardedCaller(`u-${org}`, org)), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as T };
  };

  const planIn = (org: string, assetIds: readonly string[], family = 'tenant-base') =>
    call<PlanBody>(org, 'POST', '/api/v1/remediation/plans', {
      family,
      toVersion: '2.0.0',
      environment: 'dev',
      assetIds,
      factors: { severity: 0.1, exploitability: 0.1, assetCriticality: 0.1 },
      wavePolicy: { canaryPercent: 50, waveCount: 2, soakSeconds: 0 },
    });

  beforeAll(async () => {
    config = remediationTestConfig(buildSignedPolicyBundle());
    await resetRemediationDatabase(config);
    ({ app, url } = await startRemediationApp(config));
    db = app.get(DataSource);
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const activities = createRemediationActivities({
      unitOfWork: app.get<UnitOfWork>(UNIT_OF_WORK),
      gate: app.get<WaveGate>(REMEDIATION_GATE),
      executor: new SimulatedFleetExecutor(db, {
        latencyMs: { min: 5, max: 20 },
        failureRate: 0,
        initialVersion: '1.0.0',
      }),
      metrics: new SimulatedFleetMetricProvider(db),
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
  });

  afterAll(async () => {
    await drift.close();
    worker.shutdown();
    await running;
    await native.close();
    await app.close();
  });

  it("keeps each organisation's plans to itself: lists, reads and every act by id", async () => {
    const shared = [randomUUID(), randomUUID()].sort();
    const acme = await planIn('acme', shared);
    expect(acme.status).toBe(201);
    expect(acme.body.organisation).toBe('acme');
    // The same assets in another organisation are another tenant's: no lock or cooldown is shared.
    const globex = await planIn('globex', shared);
    expect(globex.status).toBe(201);
    expect(globex.body.organisation).toBe('globex');
    const locks = await db.query<{ organisation: string; plan_id: string }[]>(
      `SELECT organisation, plan_id FROM remediation_target_locks WHERE asset_id = $1 ORDER BY organisation`,
      [shared[0]],
    );
    expect(locks).toEqual([
      { organisation: 'acme', plan_id: acme.body.id },
      { organisation: 'globex', plan_id: globex.body.id },
    ]);
    // Within one organisation the lock still holds.
    const overlapping = await planIn('acme', [shared[1] ?? '', randomUUID()]);
    expect(overlapping.status).toBe(409);
    expect(overlapping.body).toMatchObject({ code: 'REMEDIATION.TARGET_LOCKED' });

    // Lists hold the caller's organisation's plans only (drift of other runs may add more of its own).
    const listed = async (org: string) =>
      (await call<PlanBody[]>(org, 'GET', '/api/v1/remediation/plans?limit=500')).body;
    const acmeList = await listed('acme');
    const globexList = await listed('globex');
    expect(acmeList.map((p) => p.id)).toContain(acme.body.id);
    expect(acmeList.map((p) => p.id)).not.toContain(globex.body.id);
    expect(new Set(acmeList.map((p) => p.organisation))).toEqual(new Set(['acme']));
    expect(globexList.map((p) => p.id)).toContain(globex.body.id);
    expect(globexList.map((p) => p.id)).not.toContain(acme.body.id);
    expect(new Set(globexList.map((p) => p.organisation))).toEqual(new Set(['globex']));

    // Another organisation's plan is not found, with the same problem as an id that does not exist.
    const missingId = randomUUID();
    const missing = await call<Problem>('globex', 'GET', `/api/v1/remediation/plans/${missingId}`);
    const foreign = await call<Problem>('globex', 'GET', `/api/v1/remediation/plans/${acme.body.id}`);
    expect(missing.status).toBe(404);
    expect(foreign.status).toBe(404);
    expect(foreign.type).toContain('application/problem+json');
    // The same problem but for the id asked for and the request's own correlation id.
    const sameAs = (problem: Problem, id: string) => {
      const copy = JSON.parse(JSON.stringify(problem).replaceAll(id, '<id>')) as Record<string, unknown>;
      delete copy['correlationId'];
      return copy;
    };
    expect(sameAs(foreign.body, acme.body.id)).toEqual(sameAs(missing.body, missingId));
    for (const act of ['approve', 'start', 'pause', 'resume', 'abort', 'rollback']) {
      const refused = await call<Problem>(
        'globex',
        'POST',
        `/api/v1/remediation/plans/${acme.body.id}/${act}`,
        {
          reason: 'not mine',
        },
      );
      expect({ act, status: refused.status, code: refused.body.code }).toEqual({
        act,
        status: 404,
        code: 'REMEDIATION.PLAN_NOT_FOUND',
      });
    }
    const override = await call<Problem>(
      'globex',
      'POST',
      `/api/v1/remediation/assessments/${acme.body.assessmentId}/overrides`,
      { autonomyLevel: 0, reason: 'not mine' },
    );
    expect(override.status).toBe(404);
    expect(override.body.code).toBe('REMEDIATION.ASSESSMENT_NOT_FOUND');
    // None of it touched acme's plan or its assessment.
    const [untouched] = await db.query<{ status: string; overrides: string }[]>(
      `SELECT p.status, (SELECT count(*) FROM risk_overrides o WHERE o.assessment_id = p.assessment_id) AS overrides
         FROM remediation_plans p WHERE p.id = $1`,
      [acme.body.id],
    );
    expect(untouched).toEqual({ status: acme.body.status, overrides: '0' });

    // acme runs its plan to the end; globex aborts its own.
    if (acme.body.status === 'awaiting_approval') {
      expect(
        (await call('acme', 'POST', `/api/v1/remediation/plans/${acme.body.id}/approve`, {})).status,
      ).toBe(200);
    }
    expect((await call('acme', 'POST', `/api/v1/remediation/plans/${acme.body.id}/start`, {})).status).toBe(
      200,
    );
    expect(
      (await call('globex', 'POST', `/api/v1/remediation/plans/${globex.body.id}/abort`, {})).status,
    ).toBe(200);
    await waitForPlanStatus(db, acme.body.id, 'completed');
    const view = await call<{ plan: PlanBody }>('acme', 'GET', `/api/v1/remediation/plans/${acme.body.id}`);
    expect(view.body.plan).toMatchObject({ id: acme.body.id, organisation: 'acme', status: 'completed' });

    // Every event of each plan, its assessment and the gate's remediation decisions are in its organisation.
    const organisationsOf = async (planId: string, assessmentId: string) =>
      db.query<{ event_type: string; organisation: string | null }[]>(
        `SELECT DISTINCT event_type, organisation FROM outbox
          WHERE aggregate_id = $1 OR aggregate_id = $2
             OR (event_type = $3 AND data->'resource'->>'id' = $1 AND data->>'policy' = 'rf.remediation')
          ORDER BY event_type`,
        [planId, assessmentId, EV('policy.decided')],
      );
    const acmeEvents = await organisationsOf(acme.body.id, acme.body.assessmentId);
    expect(acmeEvents.map((e) => e.event_type)).toEqual(
      expect.arrayContaining([
        EV('policy.decided'),
        EV('remediation.completed'),
        EV('remediation.planned'),
        EV('remediation.wave.completed'),
        EV('remediation.wave.started'),
        EV('risk.assessed'),
      ]),
    );
    expect(new Set(acmeEvents.map((e) => e.organisation))).toEqual(new Set(['acme']));
    const globexEvents = await organisationsOf(globex.body.id, globex.body.assessmentId);
    expect(globexEvents.map((e) => e.event_type)).toEqual(
      expect.arrayContaining([EV('remediation.planned'), EV('remediation.rejected'), EV('risk.assessed')]),
    );
    expect(new Set(globexEvents.map((e) => e.organisation))).toEqual(new Set(['globex']));
    // globex's refused attempts on acme's plan were decided, and recorded, in globex's own organisation.
    const attempts = await db.query<{ organisation: string }[]>(
      `SELECT DISTINCT organisation FROM outbox
        WHERE event_type = $1 AND data->>'policy' = 'rf.authz' AND data->'resource'->>'id' = $2
          AND data->'actor'->>'id' = 'u-globex'`,
      [EV('policy.decided'), acme.body.id],
    );
    expect(attempts).toEqual([{ organisation: 'globex' }]);

    // The completed plan's cooldown is acme's: globex may plan the same assets again at once.
    const again = await planIn('globex', shared, 'tenant-next');
    expect(again.status).toBe(201);
    const cooling = await planIn('acme', shared, 'tenant-next');
    expect(cooling.status).toBe(409);
    expect(cooling.body).toMatchObject({ code: 'REMEDIATION.TARGET_COOLING_DOWN' });
  });

  it("plans a drift.detected in the event's organisation", async () => {
    const assetId = randomUUID();
    const planOf = (eventId: string) =>
      waitFor(
        async () => {
          const [row] = await db.query<{ id: string; organisation: string }[]>(
            'SELECT id, organisation FROM remediation_plans WHERE source_ref = $1',
            [eventId],
          );
          return row;
        },
        { timeoutMs: 60_000, description: `a plan for drift ${eventId}` },
      );
    const data = {
      driftId: randomUUID(),
      assetId,
      family: 'tenant-drift-base',
      runningVersion: '1.0.0',
      expectedVersion: '1.0.1',
      cause: 'outdated',
      driftAgeDays: 1,
      environment: 'dev',
      platform: 'simulated',
      detectedAt: new Date().toISOString(),
    } as const;
    const fromGlobex = await drift.send(data, randomUUID(), 'globex');
    const globexPlan = await planOf(fromGlobex);
    expect(globexPlan.organisation).toBe('globex');
    const events = await db.query<{ organisation: string }[]>(
      'SELECT DISTINCT organisation FROM outbox WHERE aggregate_id = $1',
      [globexPlan.id],
    );
    expect(events).toEqual([{ organisation: 'globex' }]);
    const byAcme = await call<Problem>('acme', 'GET', `/api/v1/remediation/plans/${globexPlan.id}`);
    expect(byAcme.status).toBe(404);
    // A drift that names no organisation is the default organisation's.
    const unnamed = await drift.send(
      { ...data, driftId: randomUUID(), assetId: randomUUID() },
      randomUUID(),
      null,
    );
    expect((await planOf(unnamed)).organisation).toBe('default');
  });
});
