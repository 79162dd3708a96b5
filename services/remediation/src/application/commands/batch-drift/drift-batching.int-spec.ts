import type { INestApplication } from '@nestjs/common';
import { connectTemporal } from '@rf/platform-temporal';
import { waitFor } from '@rf/platform-testing';
import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RemediationConfig } from '../../../remediation.config';
import {
  buildSignedPolicyBundle,
  DriftEventProducer,
  remediationTestConfig,
  resetRemediationDatabase,
  startRemediationApp,
} from '../../../testing/remediation-test.harness';

interface BatchRow {
  id: string;
  status: string;
  plan_id: string | null;
  first_event_id: string;
}

describe('drift batching', () => {
  jest.setTimeout(120_000);
  let config: RemediationConfig;
  let app: INestApplication;
  let db: DataSource;
  let drift: DriftEventProducer;
  // A version of its own, so batches of other runs never share a key with this one.
  const toVersion = `2026.${Math.floor(Math.random() * 1e6)}`;

  const send = (
    assetId: string,
    cause: 'outdated' | 'revoked' = 'outdated',
    driftAgeDays = 2,
    organisation = 'acme',
  ) =>
    drift.send(
      {
        driftId: randomUUID(),
        assetId,
        family: 'rhel9-golden',
        runningVersion: '2025.10.1',
        expectedVersion: toVersion,
        channel: 'dev',
        cause,
        driftAgeDays,
        environment: 'dev',
        platform: 'azure',
        detectedAt: new Date().toISOString(),
      },
      randomUUID(),
      organisation,
    );

  const consumed = (eventIds: readonly string[]) =>
    waitFor(
      async () => {
        const rows = await db.query<unknown[]>('SELECT 1 FROM inbox WHERE event_id = ANY($1::uuid[])', [
          eventIds,
        ]);
        return rows.length === eventIds.length ? true : undefined;
      },
      { timeoutMs: 60_000, description: 'the drift events consumed' },
    );

  const closedBatchOf = (eventId: string) =>
    waitFor(
      async () => {
        const [row] = await db.query<BatchRow[]>(
          `SELECT b.id, b.status, b.plan_id, b.first_event_id FROM drift_batches b
             JOIN drift_batch_members m ON m.batch_id = b.id
            WHERE m.event_id = $1 AND b.status <> 'open'`,
          [eventId],
        );
        return row;
      },
      { timeoutMs: 60_000, description: `the batch of ${eventId} closed` },
    );

  const planAssets = async (planId: string): Promise<string[]> => {
    const [row] = await db.query<{ asset_ids: string[]; source_ref: string }[]>(
      'SELECT asset_ids, source_ref FROM remediation_plans WHERE id = $1',
      [planId],
    );
    return row?.asset_ids ?? [];
  };

  beforeAll(async () => {
    config = remediationTestConfig(buildSignedPolicyBundle(), {
      RF_REMEDIATION_DRIFT_BATCH_WINDOW_SECONDS: '3',
      RF_REMEDIATION_DRIFT_BATCH_INTERVAL_MS: '200',
    });
    await resetRemediationDatabase(config);
    ({ app } = await startRemediationApp(config));
    db = app.get(DataSource);
    drift = new DriftEventProducer(app, config.registry.url);
  });

  afterAll(async () => {
    await drift.close();
    // No worker serves this suite's task queue: end the rollouts its plans started.
    const temporal = config.temporal ?? { address: '', namespace: '' };
    const client = new Client({ connection: await connectTemporal(temporal), namespace: temporal.namespace });
    const started = await db.query<{ workflow_id: string }[]>(
      'SELECT workflow_id FROM remediation_plans WHERE workflow_started_at IS NOT NULL',
    );
    for (const { workflow_id } of started) {
      await client.workflow
        .getHandle(workflow_id)
        .terminate('test over')
        .catch(() => undefined);
    }
    await client.connection.close();
    await app.close();
  });

  it('plans drift of one family, version and environment within the window as one frozen set', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const first = await send(a);
    const events = [first, await send(b), await send(c), await send(c, 'revoked', 9)];
    await consumed(events);

    const batch = await closedBatchOf(first);
    expect(batch).toMatchObject({ status: 'planned', first_event_id: first });
    const batches = await db.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM drift_batches WHERE to_version = $1',
      [toVersion],
    );
    expect(Number(batches[0]?.n)).toBe(1);
    const planId = batch.plan_id ?? '';
    expect(await planAssets(planId)).toEqual([a, b, c].sort());
    const [plan] = await db.query<{ source: string; source_ref: string; status: string }[]>(
      'SELECT source, source_ref, status FROM remediation_plans WHERE id = $1',
      [planId],
    );
    expect(plan).toMatchObject({ source: 'drift', source_ref: batch.id });
    expect(['approved', 'awaiting_approval']).toContain(plan?.status);
    // One assessment for the set, scored as a revoked drift (the merged cause).
    const [assessment] = await db.query<{ factors: { severity: number } }[]>(
      `SELECT r.factors FROM risk_assessments r JOIN remediation_plans p ON p.assessment_id = r.id WHERE p.id = $1`,
      [planId],
    );
    expect(assessment?.factors.severity).toBe(0.9);
    // The plan's events are caused by the event that opened the batch.
    const caused = await db.query<{ event_type: string }[]>(
      `SELECT event_type FROM outbox WHERE causation_id = $1 AND aggregate_id = $2`,
      [first, planId],
    );
    expect(caused.map((r) => r.event_type)).toContain('io.resiliencefabric.remediation.planned.v1');

    // A drift after the window opens a batch of its own and a plan of its own.
    const d = randomUUID();
    const late = await send(d);
    const lateBatch = await closedBatchOf(late);
    expect(lateBatch.id).not.toBe(batch.id);
    expect(lateBatch.status).toBe('planned');
    expect(lateBatch.plan_id).not.toBe(planId);
    expect(await planAssets(lateBatch.plan_id ?? '')).toEqual([d]);

    // An asset held by the first, unfinished plan is left out; the rest is planned.
    const e = randomUUID();
    const overlapping = [await send(a), await send(e)];
    await consumed(overlapping);
    const overlapBatch = await closedBatchOf(overlapping[0] ?? '');
    expect(overlapBatch.status).toBe('planned');
    expect(await planAssets(overlapBatch.plan_id ?? '')).toEqual([e]);
    const dispositions = await db.query<{ asset_id: string; disposition: string }[]>(
      'SELECT asset_id, disposition FROM drift_batch_members WHERE batch_id = $1 ORDER BY disposition',
      [overlapBatch.id],
    );
    expect(dispositions).toEqual([
      { asset_id: a, disposition: 'locked' },
      { asset_id: e, disposition: 'planned' },
    ]);
    const [lock] = await db.query<{ plan_id: string }[]>(
      'SELECT plan_id FROM remediation_target_locks WHERE asset_id = $1',
      [a],
    );
    expect(lock?.plan_id).toBe(planId);

    // A batch whose every asset is held closes without a plan.
    const onlyHeld = await send(b);
    const skipped = await closedBatchOf(onlyHeld);
    expect(skipped).toMatchObject({ status: 'skipped', plan_id: null });
  });

  it("never batches two organisations' drift together, and locks the same asset in each", async () => {
    const [shared, own] = [randomUUID(), randomUUID()];
    const acme = [await send(shared), await send(own)];
    const globex = [await send(shared, 'outdated', 2, 'globex')];
    await consumed([...acme, ...globex]);
    const acmeBatch = await closedBatchOf(acme[0] ?? '');
    const globexBatch = await closedBatchOf(globex[0] ?? '');
    expect(globexBatch.id).not.toBe(acmeBatch.id);
    expect([acmeBatch.status, globexBatch.status]).toEqual(['planned', 'planned']);
    const plans = await db.query<{ id: string; organisation: string; asset_ids: string[] }[]>(
      'SELECT id, organisation, asset_ids FROM remediation_plans WHERE id = ANY($1::uuid[]) ORDER BY organisation',
      [[acmeBatch.plan_id, globexBatch.plan_id]],
    );
    expect(plans).toEqual([
      { id: acmeBatch.plan_id, organisation: 'acme', asset_ids: [shared, own].sort() },
      { id: globexBatch.plan_id, organisation: 'globex', asset_ids: [shared] },
    ]);
    const batches = await db.query<{ organisation: string }[]>(
      'SELECT organisation FROM drift_batches WHERE id = ANY($1::uuid[]) ORDER BY organisation',
      [[acmeBatch.id, globexBatch.id]],
    );
    expect(batches).toEqual([{ organisation: 'acme' }, { organisation: 'globex' }]);
    const locks = await db.query<{ organisation: string; plan_id: string }[]>(
      'SELECT organisation, plan_id FROM remediation_target_locks WHERE asset_id = $1 ORDER BY organisation',
      [shared],
    );
    expect(locks).toEqual([
      { organisation: 'acme', plan_id: acmeBatch.plan_id },
      { organisation: 'globex', plan_id: globexBatch.plan_id },
    ]);
    const events = await db.query<{ organisation: string }[]>(
      'SELECT DISTINCT organisation FROM outbox WHERE aggregate_id = $1',
      [globexBatch.plan_id],
    );
    expect(events).toEqual([{ organisation: 'globex' }]);
  });

  it('keeps an open batch across a restart: later drift joins it and it is planned once', async () => {
    // Reopen with a window that outlasts the restart.
    await drift.close();
    await app.close();
    config = remediationTestConfig(buildSignedPolicyBundle(), {
      RF_REMEDIATION_DRIFT_BATCH_WINDOW_SECONDS: '20',
      RF_REMEDIATION_DRIFT_BATCH_INTERVAL_MS: '200',
    });
    const restart = async () => {
      ({ app } = await startRemediationApp(config));
      db = app.get(DataSource);
      drift = new DriftEventProducer(app, config.registry.url);
    };
    await restart();
    const [f, g, h] = [randomUUID(), randomUUID(), randomUUID()];
    const before = [await send(f, 'outdated', 1), await send(g, 'outdated', 1)];
    await consumed(before);

    await drift.close();
    await app.close();
    await restart();
    const after = await send(h, 'outdated', 1);
    await consumed([after]);
    const open = await db.query<{ batch_id: string; status: string }[]>(
      `SELECT m.batch_id, b.status FROM drift_batch_members m JOIN drift_batches b ON b.id = m.batch_id
        WHERE m.event_id = ANY($1::uuid[])`,
      [[...before, after]],
    );
    expect(new Set(open.map((r) => r.batch_id)).size).toBe(1);

    const batch = await closedBatchOf(after);
    expect(batch.status).toBe('planned');
    expect(await planAssets(batch.plan_id ?? '')).toEqual([f, g, h].sort());
    const plans = await db.query<unknown[]>('SELECT 1 FROM remediation_plans WHERE source_ref = $1', [
      batch.id,
    ]);
    expect(plans).toHaveLength(1);
  });
});
