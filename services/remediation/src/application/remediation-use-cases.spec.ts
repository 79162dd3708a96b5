import type { NewEvent, OutboxTransaction, UnitOfWork } from '@rf/platform-events';
import type { EntityManager } from 'typeorm';
import { DEFAULT_WAVE_POLICY } from '../domain/plan/wave-policy';
import { RiskAnalyser } from '../domain/risk/risk-analyser';
import { ApprovePlanHandler } from './commands/approve-plan/approve-plan.handler';
import type { CreatePlanCommand } from './commands/create-plan/create-plan.command';
import { CreatePlanHandler } from './commands/create-plan/create-plan.handler';
import type { OverrideRiskHandler } from './commands/override-risk/override-risk.handler';
import type { PlanStarter } from './commands/start-plans/plan-starter';
import { SteerPlanHandler } from './commands/steer-plan/steer-plan.handler';
import type { AssessmentRepository } from './ports/assessment.repository.port';
import type { PlanRecord } from './ports/plan-record';
import type { PlanRepository } from './ports/plan.repository.port';
import type { RolloutWorkflows } from './ports/rollout-workflows.port';
import { RemediationCommands } from './remediation-commands';
import type { RemediationSettings } from './remediation-settings';
import type { WaveGate, WaveGateDecision } from './wave-gate';

const NOW = new Date('2025-11-22T12:00:00Z'); // a Saturday: no business-hours adjustment
const clock = { now: () => NOW };
const EV = (name: string) => `io.resiliencefabric.${name}.v1`;

/** A strict double: any method the test did not stub fails the test. */
function strict<T extends object>(stubs: Partial<T>): T {
  return new Proxy(stubs, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (prop === 'then') return undefined;
      throw new Error(`unexpected call to ${String(prop)}`);
    },
  }) as T;
}

function work(): OutboxTransaction & { events: NewEvent[] } {
  const events: NewEvent[] = [];
  return {
    events,
    manager: {} as EntityManager,
    publish: (...e) => void events.push(...e),
    flush: () => Promise.resolve(),
  };
}

const settings: RemediationSettings = {
  wavePolicy: DEFAULT_WAVE_POLICY,
  fleetSize: 1000,
  cooldownSeconds: 3600,
  environments: {},
  defaultEnvironment: { utcOffset: 'Z' },
  healthCriteria: { maxErrorRatio: 0.05, minSamples: 1 },
};

const command: CreatePlanCommand = {
  organisation: 'acme',
  source: 'api',
  sourceRef: 'ref-1',
  family: 'rhel-9-base',
  toVersion: '1.1.0',
  environment: 'dev',
  assetIds: ['00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001'],
  factors: {
    severity: 0.2,
    exploitability: 0.1,
    assetCriticality: 0.1,
    patchMaturity: 0.1,
    dependencies: 0.1,
    rollbackComplexity: 0.1,
  },
  complianceImpact: 0,
  requestedBy: { kind: 'user', id: 'u-1' },
  autoStart: false,
};

function setup(decision: Partial<WaveGateDecision>, plans: Partial<PlanRepository> = {}) {
  const inserted: PlanRecord[] = [];
  const released: string[] = [];
  const gate = strict<WaveGate>({
    decide: jest.fn(() =>
      Promise.resolve({ outcome: 'allow', decisionId: 'd-1', reasons: [], enforced: true, ...decision }),
    ),
  });
  const stores = {
    plans: strict<PlanRepository>({
      coolingDown: () => Promise.resolve([]),
      lockTargets: () => Promise.resolve([]),
      releaseTargets: (id: string) => {
        released.push(id);
        return Promise.resolve();
      },
      insert: (p: PlanRecord) => {
        inserted.push(p);
        return Promise.resolve();
      },
      ...plans,
    }),
    assessments: strict<AssessmentRepository>({ insert: () => Promise.resolve() }),
  };
  const handler = new CreatePlanHandler(new RiskAnalyser(), gate, settings, clock);
  return { handler, stores, inserted, released, gate };
}

describe('CreatePlanHandler', () => {
  it("approves on the policy's authority when the gate allows, with a frozen, sorted asset set", async () => {
    const { handler, stores, inserted } = setup({ outcome: 'allow' });
    const w = work();
    const plan = await handler.execute(w, stores, command);
    expect(plan.status).toBe('approved');
    expect(plan.assetIds).toEqual([...command.assetIds].sort());
    expect(plan.approvedBy).toEqual({ kind: 'policy', id: 'rf.remediation' });
    expect(inserted).toHaveLength(1);
    expect(w.events.map((e) => e.type)).toEqual([
      EV('risk.assessed'),
      EV('remediation.planned'),
      EV('remediation.approved'),
    ]);
  });

  it('waits for a person when the gate needs approval', async () => {
    const { handler, stores } = setup({ outcome: 'needs_approval', reasons: ['risk 70 exceeds 30'] });
    const w = work();
    const plan = await handler.execute(w, stores, command);
    expect(plan).toMatchObject({
      status: 'awaiting_approval',
      approvalRequired: true,
      statusReason: 'risk 70 exceeds 30',
    });
    expect(w.events.map((e) => e.type)).toEqual([EV('risk.assessed'), EV('remediation.planned')]);
  });

  it('rejects and releases the targets when the gate denies', async () => {
    const { handler, stores, released } = setup({ outcome: 'deny', reasons: ['frozen'] });
    const w = work();
    const plan = await handler.execute(w, stores, command);
    expect(plan.status).toBe('rejected');
    expect(released).toEqual([plan.id]);
    expect(w.events.map((e) => e.type)).toEqual([
      EV('risk.assessed'),
      EV('remediation.planned'),
      EV('remediation.rejected'),
    ]);
    expect(w.events[2]?.data).toMatchObject({ reason: 'frozen', policyDecisionId: 'd-1' });
  });

  it('refuses assets that are cooling down or held by another plan, before asking the gate', async () => {
    const cooling = setup({}, { coolingDown: () => Promise.resolve([command.assetIds[0] ?? '']) });
    await expect(cooling.handler.execute(work(), cooling.stores, command)).rejects.toMatchObject({
      code: 'REMEDIATION.TARGET_COOLING_DOWN',
      kind: 'conflict',
    });
    const locked = setup({}, { lockTargets: () => Promise.resolve([command.assetIds[1] ?? '']) });
    await expect(locked.handler.execute(work(), locked.stores, command)).rejects.toMatchObject({
      code: 'REMEDIATION.TARGET_LOCKED',
    });
    expect(locked.gate.decide).not.toHaveBeenCalled();
  });
});

describe('SteerPlanHandler', () => {
  const base = { id: 'p-1', status: 'approved', workflowStartedAt: null } as unknown as PlanRecord;
  const plans = (plan: PlanRecord, updates: unknown[] = []) =>
    strict<PlanRepository>({
      getForUpdate: () => Promise.resolve(plan),
      update: (...args: unknown[]) => {
        updates.push(args);
        return Promise.resolve();
      },
      releaseTargets: () => Promise.resolve(),
    });
  const actor = { kind: 'user' as const, id: 'u-2' };

  it('refuses to start a plan that awaits approval, and to pause one that has not started', async () => {
    const handler = new SteerPlanHandler(clock);
    await expect(
      handler.execute(work(), plans({ ...base, status: 'awaiting_approval' }), {
        organisation: 'acme',
        planId: 'p-1',
        action: 'start',
        actor,
      }),
    ).rejects.toMatchObject({ code: 'REMEDIATION.INVALID_TRANSITION', kind: 'conflict' });
    await expect(
      handler.execute(work(), plans({ ...base, status: 'running' }), {
        organisation: 'acme',
        planId: 'p-1',
        action: 'pause',
        actor,
      }),
    ).rejects.toMatchObject({ code: 'REMEDIATION.INVALID_TRANSITION' });
  });

  it('pauses a running plan with an event and asks the workflow to pause', async () => {
    const updates: unknown[] = [];
    const w = work();
    const result = await new SteerPlanHandler(clock).execute(
      w,
      plans({ ...base, status: 'running', workflowStartedAt: NOW }, updates),
      { organisation: 'acme', planId: 'p-1', action: 'pause', actor, reason: 'watching the error budget' },
    );
    expect(result.signal).toBe('pause');
    expect(updates).toEqual([['p-1', { status: 'paused', statusReason: 'watching the error budget' }, NOW]]);
    expect(w.events).toEqual([
      expect.objectContaining({
        type: EV('remediation.paused'),
        data: expect.objectContaining({ cause: 'operator', pausedBy: actor }) as unknown,
      }),
    ]);
  });

  it('aborts a plan that has not started without a workflow, announcing the rejection', async () => {
    const w = work();
    const result = await new SteerPlanHandler(clock).execute(w, plans(base), {
      organisation: 'acme',
      planId: 'p-1',
      action: 'abort',
      actor,
    });
    expect(result).toMatchObject({ signal: null, plan: { status: 'aborted' } });
    expect(w.events.map((e) => e.type)).toEqual([EV('remediation.rejected')]);
  });
});

describe('RemediationCommands across organisations', () => {
  const acmePlan = '00000000-0000-4000-8000-0000000000a1';
  const commands = (warnings: string[]) =>
    new RemediationCommands(
      strict<UnitOfWork>({ run: (fn) => fn(work()) }),
      () => ({
        plans: strict<PlanRepository>({
          get: () => Promise.resolve(undefined),
          getForUpdate: () => Promise.resolve(undefined),
          organisationOf: (id) => Promise.resolve(id === acmePlan ? 'acme' : undefined),
        }),
        assessments: strict<AssessmentRepository>({
          get: () => Promise.resolve(undefined),
          organisationOf: () => Promise.resolve(undefined),
        }),
      }),
      {
        create: strict<CreatePlanHandler>({}),
        approve: new ApprovePlanHandler(strict<WaveGate>({}), clock),
        steer: new SteerPlanHandler(clock),
        override: strict<OverrideRiskHandler>({}),
      },
      strict<PlanStarter>({}),
      strict<RolloutWorkflows>({}),
      { warn: (m) => void warnings.push(m) },
    );

  it("answers another organisation's plan as not found, and logs the attempt", async () => {
    const warnings: string[] = [];
    const c = commands(warnings);
    const caller = { organisation: 'globex', callerId: 'u-globex' };
    await expect(c.view(caller, acmePlan)).rejects.toMatchObject({ code: 'REMEDIATION.PLAN_NOT_FOUND' });
    await expect(
      c.steer({
        organisation: 'globex',
        planId: acmePlan,
        action: 'pause',
        actor: { kind: 'user', id: 'u-globex' },
      }),
    ).rejects.toMatchObject({ code: 'REMEDIATION.PLAN_NOT_FOUND', kind: 'not_found' });
    expect(warnings).toEqual([
      `cross-tenant plan access refused: caller u-globex of organisation globex asked for plan ${acmePlan}`,
      `cross-tenant plan access refused: caller u-globex of organisation globex asked for plan ${acmePlan}`,
    ]);
    // A plan that exists nowhere is the same not found, with nothing to log.
    await expect(c.view(caller, '00000000-0000-4000-8000-0000000000ff')).rejects.toMatchObject({
      code: 'REMEDIATION.PLAN_NOT_FOUND',
    });
    expect(warnings).toHaveLength(2);
  });
});
