import type { PolicyDecidedV1 } from '@rf/contracts';
import type { NewEvent, OutboxWriter, UnitOfWorkContext } from '@rf/platform-events';
import type { EntityManager } from 'typeorm';
import { POLICY_DECIDED_EVENT } from './decision-recorder.port';
import { InMemoryDecisionRecorder } from './in-memory.decision-recorder';
import { OutboxDecisionRecorder } from './outbox.decision-recorder';
import { strictMock } from './testing/fake-policy-bundle';
import { UnitOfWorkDecisionRecorder } from './unit-of-work.decision-recorder';

const decision: PolicyDecidedV1 = {
  decisionId: '2c4e6a8b-0d1f-4e3a-9b5c-7d9e1f3a5b7c',
  service: 'remediation',
  action: 'remediation.start',
  policy: 'rf.remediation',
  entrypoint: 'rf/remediation/decision',
  bundleHash: 'b'.repeat(64),
  inputHash: 'a'.repeat(64),
  result: 'allow',
  reasons: [],
  enforced: true,
  mode: 'prod',
  decidedAt: '2025-11-22T09:06:01.000Z',
};
const event = { type: POLICY_DECIDED_EVENT, data: decision, id: decision.decisionId };

describe('decision recorders', () => {
  it('InMemoryDecisionRecorder keeps decisions that match the contract and refuses others', async () => {
    const recorder = new InMemoryDecisionRecorder();
    await recorder.record(decision);
    expect(recorder.last()).toBe(decision);
    await expect(recorder.record({ ...decision, inputHash: 'nope' })).rejects.toThrow(/inputHash/);
    expect(recorder.decisions).toHaveLength(1);
  });

  it('OutboxDecisionRecorder appends inside the running transaction', async () => {
    const append = jest
      .fn<Promise<string[]>, [EntityManager, readonly NewEvent[]]>()
      .mockResolvedValue([decision.decisionId]);
    const manager = strictMock<EntityManager>({
      queryRunner: { isTransactionActive: true },
    } as Partial<EntityManager>);
    await new OutboxDecisionRecorder(strictMock<OutboxWriter>({ append }), manager).record(decision);
    expect(append).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![0]).toBe(manager);
    expect(append.mock.calls[0]![1]).toEqual([event]);
  });

  it('OutboxDecisionRecorder opens its own transaction when there is none', async () => {
    const append = jest
      .fn<Promise<string[]>, [EntityManager, readonly NewEvent[]]>()
      .mockResolvedValue([decision.decisionId]);
    const inner = strictMock<EntityManager>({}, 'inner');
    const transaction = jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(inner));
    const manager = strictMock<EntityManager>({
      queryRunner: undefined,
      transaction,
    } as unknown as Partial<EntityManager>);
    await new OutboxDecisionRecorder(strictMock<OutboxWriter>({ append }), manager).record(decision);
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(append.mock.calls[0]![0]).toBe(inner);
    expect(append.mock.calls[0]![1]).toEqual([event]);
  });

  it('UnitOfWorkDecisionRecorder queues the event on the unit of work', async () => {
    const publish = jest.fn();
    await new UnitOfWorkDecisionRecorder(strictMock<UnitOfWorkContext>({ publish })).record(decision);
    expect(publish).toHaveBeenCalledWith(event);
  });

  it('records a decision in the organisation it is given, platform-wide for null, else leaves it open', async () => {
    const publish = jest.fn();
    const recorder = new UnitOfWorkDecisionRecorder(strictMock<UnitOfWorkContext>({ publish }));
    await recorder.record(decision, 'acme');
    await recorder.record(decision, null);
    await recorder.record(decision);
    expect(publish.mock.calls).toEqual([
      [{ ...event, organisation: 'acme' }],
      [{ ...event, organisation: null }],
      [event],
    ]);
    const append = jest
      .fn<Promise<string[]>, [EntityManager, readonly NewEvent[]]>()
      .mockResolvedValue([decision.decisionId]);
    const manager = strictMock<EntityManager>({
      queryRunner: { isTransactionActive: true },
    } as Partial<EntityManager>);
    await new OutboxDecisionRecorder(strictMock<OutboxWriter>({ append }), manager).record(
      decision,
      'globex',
    );
    expect(append.mock.calls[0]![1]).toEqual([{ ...event, organisation: 'globex' }]);
  });
});
