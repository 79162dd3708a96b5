import type { UnitOfWork } from '@rf/platform-events';
import { actionCoverage, InMemoryDecisionRecorder, PolicyGate, type WasmPolicy } from '@rf/platform-policy';
import { ApplicationFailure } from '@temporalio/common';
import type { EntityManager } from 'typeorm';
import type { MetricProvider } from '../../application/ports/metric-provider.port';
import type { AssetChange, RemediationExecutor } from '../../application/ports/remediation-executor.port';
import type { RemediationSettings } from '../../application/remediation-settings';
import { WaveGate } from '../../application/wave-gate';
import { DEFAULT_WAVE_POLICY } from '../../domain/plan/wave-policy';
import { createRemediationActivities } from './remediation.activities';

const NOW = new Date('2025-11-25T22:30:00Z');
const ENTRYPOINT = 'rf/remediation/decision';

/** A strict double: any member the test did not stub fails the test. */
function strict<T extends object>(stubs: Partial<T>, name: string): T {
  return new Proxy(stubs, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (prop === 'then' || typeof prop === 'symbol') return undefined;
      throw new Error(`unexpected call to ${name}.${prop}`);
    },
  }) as T;
}

const settings: RemediationSettings = {
  wavePolicy: DEFAULT_WAVE_POLICY,
  fleetSize: 1000,
  cooldownSeconds: 3600,
  environments: { prod: { utcOffset: '+01:00' } },
  defaultEnvironment: { utcOffset: 'Z' },
  healthCriteria: { maxErrorRatio: 0.05, minSamples: 1 },
};

/** Activities over a gate whose rf.remediation answers `verdict` and remembers each input. */
async function activitiesDeciding(
  verdict: (input: Record<string, unknown>) => unknown,
  unitOfWork: UnitOfWork = strict<UnitOfWork>({}, 'unitOfWork'),
) {
  const inputs: Record<string, unknown>[] = [];
  const policy: WasmPolicy = {
    bundleHash: 'f'.repeat(64),
    entrypoints: [ENTRYPOINT],
    evaluate: (_e, input) => verdict(input as Record<string, unknown>),
    evaluateJson: (_e, json) => {
      const input = JSON.parse(json) as Record<string, unknown>;
      if (Object.keys(input).length > 0) inputs.push(input);
      return verdict(input);
    },
  };
  const recorder = new InMemoryDecisionRecorder();
  const gate = new PolicyGate({
    service: 'remediation',
    mode: 'dev',
    recorder,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    bundleLoader: () => Promise.resolve(policy),
  });
  await gate.loadBundle(Buffer.from('bundle'));
  const changes: AssetChange[] = [];
  const change = (c: AssetChange) => {
    changes.push(c);
    return Promise.resolve({
      assetId: c.assetId,
      outcome: 'succeeded' as const,
      fromVersion: '1.0',
      toVersion: c.toVersion,
      executedNow: true,
    });
  };
  const executor = strict<RemediationExecutor>({ name: 'test', apply: change, revert: change }, 'executor');
  const activities = createRemediationActivities({
    unitOfWork,
    gate: new WaveGate(gate, settings, { now: () => NOW }),
    executor,
    metrics: strict<MetricProvider>({}, 'metrics'),
    clock: { now: () => NOW },
    settings,
  });
  return { activities, inputs, recorder, changes };
}

const allow = () => ({ allow: true, result: 'allow', reasons: [] });
const wave = { index: 1, assetIds: ['a-1', 'a-2'], maxConcurrency: 2, maxFailures: 1, soakSeconds: 0 };
const facts = { autonomyLevel: 4, riskScore: 30, fleetSize: 200, environment: 'prod', approved: false };

describe('remediation activities and the policy gate', () => {
  it('guards every activity that acts and names why each other one needs no guard', async () => {
    const { activities } = await activitiesDeciding(allow);
    const coverage = Object.fromEntries(
      Object.entries(activities).map(([name, fn]) => [name, actionCoverage(fn)]),
    );
    // A new activity fails createRemediationActivities until it is guarded or listed as bookkeeping;
    // this pins which ones act.
    expect(coverage).toEqual({
      gateWave: { bookkeeping: expect.any(String) as string },
      recordWaveStarted: { bookkeeping: expect.any(String) as string },
      applyWave: { guarded: 'remediation.start' },
      analyseWaveHealth: { bookkeeping: expect.any(String) as string },
      recordWaveCompleted: { bookkeeping: expect.any(String) as string },
      recordPlanStatus: { bookkeeping: expect.any(String) as string },
      recordPlanCompleted: { bookkeeping: expect.any(String) as string },
      revertWave: { guarded: 'remediation.rollback' },
      recordPlanRolledBack: { bookkeeping: expect.any(String) as string },
    });
  });

  it('decides a wave again as it applies it, and records the decision', async () => {
    const { activities, inputs, recorder, changes } = await activitiesDeciding(allow);
    const result = await activities.applyWave({
      workflowId: 'wf-1',
      planId: 'p-1',
      organisation: 'acme',
      toVersion: '2.0',
      wave,
      gate: { ...facts, approved: true },
    });
    expect(result.succeededAssetIds.sort()).toEqual(['a-1', 'a-2']);
    expect(inputs).toEqual([
      expect.objectContaining({
        now: NOW.getTime(),
        action: 'remediation.start',
        approved: true,
        autonomyLevel: 4,
        plan: { id: 'p-1', riskScore: 30 },
        wave: { index: 1, assets: 2 },
        environment: { name: 'prod', local: { weekday: 'tue', minute: 23 * 60 + 30 } },
      }),
    ]);
    expect(recorder.decisions).toEqual([
      expect.objectContaining({ action: 'remediation.start', policy: 'rf.remediation', result: 'allow' }),
    ]);
    // Recorded in the plan's organisation, so the decision lands in that tenant's ledger.
    expect(recorder.organisations.get(recorder.decisions[0]?.decisionId ?? '')).toBe('acme');
    expect(changes).toHaveLength(2);
  });

  it('refuses a wave that is not permitted with a non-retryable failure naming the reasons, changing nothing', async () => {
    const { activities, recorder, changes } = await activitiesDeciding(() => ({
      allow: false,
      result: 'deny',
      reasons: ["change freeze 'year-end' is in effect"],
    }));
    // Dev mode lets policy denies through; the gate's mode is what decides enforcement.
    await expect(
      activities.applyWave({
        workflowId: 'wf-1',
        planId: 'p-1',
        organisation: 'acme',
        toVersion: '2.0',
        wave,
        gate: facts,
      }),
    ).resolves.toMatchObject({ succeededAssetIds: expect.any(Array) as string[] });
    expect(recorder.decisions[0]).toMatchObject({ result: 'deny', enforced: false });

    const needsApproval = await activitiesDeciding(() => ({
      allow: false,
      result: 'needs_approval',
      reasons: ['risk 45 exceeds the auto-approval limit of 40'],
    }));
    const refused = await needsApproval.activities
      .applyWave({
        workflowId: 'wf-1',
        planId: 'p-1',
        organisation: 'acme',
        toVersion: '2.0',
        wave,
        gate: facts,
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({
      type: 'POLICY.APPROVAL_REQUIRED',
      nonRetryable: true,
      message: expect.stringContaining('risk 45 exceeds the auto-approval limit of 40') as string,
    });
    expect(needsApproval.changes).toEqual([]);
    expect(changes).toHaveLength(2);
  });

  it('fails closed when the gate cannot decide: a malformed result refuses the rollback', async () => {
    const { activities, recorder, changes } = await activitiesDeciding(() => ({ nonsense: true }));
    const refused = await activities
      .revertWave({
        planId: 'p-1',
        organisation: 'acme',
        originWorkflowId: 'wf-1',
        waveIndex: 1,
        assetIds: ['a-1'],
      })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ type: 'POLICY.DENIED', nonRetryable: true });
    expect(recorder.decisions).toEqual([
      expect.objectContaining({ action: 'remediation.rollback', result: 'deny' }),
    ]);
    expect(changes).toEqual([]);
  });

  it('decides a rollback from the plan and the wave alone', async () => {
    const { activities, inputs, changes, recorder } = await activitiesDeciding(allow);
    await expect(
      activities.revertWave({
        planId: 'p-1',
        organisation: 'globex',
        originWorkflowId: 'wf-1',
        waveIndex: 1,
        assetIds: ['a-1', 'a-2'],
      }),
    ).resolves.toEqual({ reverted: 2 });
    expect(inputs).toEqual([
      {
        now: NOW.getTime(),
        action: 'remediation.rollback',
        plan: { id: 'p-1' },
        wave: { index: 1, assets: 2 },
      },
    ]);
    expect(changes.map((c) => c.assetId)).toEqual(['a-1', 'a-2']);
    expect([...recorder.organisations.values()]).toEqual(['globex']);
  });

  it("decides a run that started before inputs carried the organisation in the stored plan's", async () => {
    const queries: unknown[][] = [];
    // The plan's row as PostgreSQL returns it; nothing else is read.
    const manager = strict<EntityManager>(
      {
        query: (sql: string, params?: unknown[]) => {
          queries.push([sql, params]);
          return Promise.resolve([{ organisation: 'globex' }]);
        },
      } as Partial<EntityManager>,
      'manager',
    );
    const unitOfWork = strict<UnitOfWork>(
      { run: (fn) => fn({ manager, publish: () => undefined, flush: () => Promise.resolve() }) },
      'unitOfWork',
    );
    const { activities, recorder, changes } = await activitiesDeciding(allow, unitOfWork);
    await activities.applyWave({ workflowId: 'wf-1', planId: 'p-1', toVersion: '2.0', wave, gate: facts });
    expect([...recorder.organisations.values()]).toEqual(['globex']);
    expect(changes.map((c) => c.organisation)).toEqual(['globex', 'globex']);
    expect(queries[0]).toEqual(['SELECT organisation FROM remediation_plans WHERE id = $1', ['p-1']]);
  });
});
