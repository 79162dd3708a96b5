import type { UnitOfWork, UnitOfWorkContext } from '@rf/platform-events';
import type {
  DriftAdmission,
  DriftBatchRecord,
  DriftBatchRepository,
} from '../../ports/drift-batch.repository.port';
import type { PlanRepository } from '../../ports/plan.repository.port';
import { DriftBatcher, driftBatchId } from './drift-batcher';

describe('DriftBatcher', () => {
  it('derives the batch id from its key and first event only', () => {
    const key = { organisation: 'acme', family: 'rhel9-golden', toVersion: '1.5.0', environment: 'prod' };
    const id = driftBatchId(key, '6f0e9c1e-0000-4000-8000-000000000001');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(driftBatchId({ ...key }, '6f0e9c1e-0000-4000-8000-000000000001')).toBe(id);
    expect(driftBatchId({ ...key, environment: 'dev' }, '6f0e9c1e-0000-4000-8000-000000000001')).not.toBe(id);
    // Two organisations' drift never shares a batch, even from the same event id.
    expect(driftBatchId({ ...key, organisation: 'globex' }, '6f0e9c1e-0000-4000-8000-000000000001')).not.toBe(
      id,
    );
  });

  it('leaves a batch it cannot plan open for the next pass and plans the others', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const batch = (id: string): DriftBatchRecord => ({
      id,
      organisation: 'acme',
      family: 'rhel9-golden',
      toVersion: '1.5.0',
      environment: 'prod',
      firstEventId: `event-${id}`,
      openedAt: at,
      closesAt: at,
    });
    const open = new Map([
      ['b1', batch('b1')],
      ['b2', batch('b2')],
    ]);
    const closed: string[] = [];
    const member = (assetId: string): DriftAdmission => ({
      assetId,
      driftId: assetId,
      eventId: assetId,
      cause: 'outdated',
      driftAgeDays: 1,
    });
    const batches: Partial<DriftBatchRepository> = {
      nextDue: (_at, skip) => Promise.resolve([...open.values()].find((b) => !skip.includes(b.id))),
      members: (id) => Promise.resolve([member(`${id}-asset`)]),
      heldTargets: () => Promise.resolve([]),
      close: (id) => {
        open.delete(id);
        closed.push(id);
        return Promise.resolve();
      },
    };
    const plans: Partial<PlanRepository> = { coolingDown: () => Promise.resolve([]) };
    const unitOfWork = {
      run: <T>(work: (ctx: UnitOfWorkContext) => Promise<T>) =>
        work({ manager: {} as UnitOfWorkContext['manager'], publish: () => undefined }),
    } as unknown as UnitOfWork;
    const warnings: string[] = [];
    const batcher = new DriftBatcher(
      60_000,
      () => ({ batches: batches as DriftBatchRepository, plans: plans as PlanRepository }),
      (_work, command) =>
        command.assetIds.includes('b1-asset')
          ? Promise.reject(new Error('the gate is unavailable'))
          : Promise.resolve({ id: `plan-${command.sourceRef}` }),
      unitOfWork,
      { now: () => at },
      { log: () => undefined, warn: (m) => warnings.push(m) },
    );

    const result = await batcher.closeDue();

    expect(result.map((r) => [r.batchId, r.planId])).toEqual([['b2', 'plan-b2']]);
    expect(closed).toEqual(['b2']);
    expect([...open.keys()]).toEqual(['b1']);
    expect(warnings).toEqual([expect.stringContaining('drift batch b1 not planned yet')]);
  });
});
