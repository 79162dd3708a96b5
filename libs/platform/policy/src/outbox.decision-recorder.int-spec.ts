import type { PolicyDecidedV1 } from '@rf/contracts';
import {
  CONTRACT_EVENT_CATALOGUE,
  EVENT_BACKBONE_MIGRATIONS,
  OutboxWriter,
  UnitOfWork,
} from '@rf/platform-events';
import { testDatabaseUrl } from '@rf/platform-testing';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxDecisionRecorder } from './outbox.decision-recorder';
import type { PolicyDecision, PolicyRequest } from './policy-decision.types';
import { PolicyGate } from './policy-gate';
import { FakePolicyBundles } from './testing/fake-policy-bundle';
import { UnitOfWorkDecisionRecorder } from './unit-of-work.decision-recorder';

// A schema of its own, so suites sharing the test database cannot disturb this one (or be disturbed).
const url = testDatabaseUrl('gateway');
const schema = `policy_${randomUUID().slice(0, 8)}`;
const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

interface OutboxRow {
  event_type: string;
  topic: string;
  aggregate_id: string;
  data: Record<string, unknown>;
}

describe('policy decisions through the outbox', () => {
  let dataSource: DataSource;
  let gate: PolicyGate;
  const writer = new OutboxWriter(CONTRACT_EVENT_CATALOGUE, '/rf/gateway');
  const request: PolicyRequest = {
    policy: 'rf.authz',
    action: 'apikey.manage',
    input: { allow: false },
    actor: { kind: 'user', id: 'u-1' },
  };

  const rowOf = async (decision: PolicyDecision) =>
    (
      await dataSource.query<OutboxRow[]>('SELECT * FROM outbox WHERE event_id = $1', [decision.decisionId])
    )[0];

  beforeAll(async () => {
    const admin = new DataSource({ type: 'postgres', url });
    await admin.initialize();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.destroy();
    dataSource = new DataSource({ type: 'postgres', url, extra: { options: `-c search_path=${schema}` } });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    for (const Migration of EVENT_BACKBONE_MIGRATIONS) await new Migration().up(runner);
    await runner.release();

    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const bundles = new FakePolicyBundles();
    gate = new PolicyGate({
      service: 'gateway',
      mode: 'prod',
      publicKey,
      recorder: new OutboxDecisionRecorder(writer, dataSource.manager),
      logger,
      bundleLoader: bundles.loader,
    });
    const bundle = bundles.bundle('closed', {
      'rf/authz/decision': () => ({ allow: false, reasons: ['no grant'] }),
    });
    await gate.loadBundle(bundle, sign(null, bundle, privateKey));
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
    await dataSource.destroy();
  });

  it('writes a deny in a transaction of its own when the caller has none', async () => {
    const decision = await gate.decide(request);
    expect(decision.result).toBe('deny');
    expect(await rowOf(decision)).toMatchObject({
      event_type: 'io.resiliencefabric.policy.decided.v1',
      topic: 'rf.policy.decision.v1',
      aggregate_id: decision.decisionId,
      data: { decisionId: decision.decisionId, service: 'gateway', result: 'deny', reasons: ['no grant'] },
    });
  });

  it('group-commits concurrent decisions, each resolving once its own row is committed', async () => {
    let transactions = 0;
    const counting = new Proxy(dataSource.manager, {
      get(target, property, receiver) {
        if (property === 'transaction') {
          return (work: (m: EntityManager) => Promise<unknown>) => {
            transactions += 1;
            return target.transaction(work);
          };
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const recorder = new OutboxDecisionRecorder(writer, counting);
    const decisions = await Promise.all(Array.from({ length: 40 }, () => gate.decide(request, recorder)));
    const rows = await Promise.all(decisions.map(rowOf));
    expect(rows.every((r) => r?.data['decisionId'] !== undefined)).toBe(true);
    expect(transactions).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeLessThan(decisions.length);

    // A decision the contract refuses fails alone; the others in its group are written.
    const valid = (await rowOf(decisions[0]!))!.data as unknown as PolicyDecidedV1;
    const others = Array.from({ length: 5 }, () => ({ ...valid, decisionId: randomUUID() }));
    const results = await Promise.allSettled([
      ...others.map((d) => recorder.record(d)),
      recorder.record({ ...valid, decisionId: 'not-a-uuid' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([...others.map(() => 'fulfilled'), 'rejected']);
    const written = await dataSource.query<unknown[]>(
      'SELECT 1 FROM outbox WHERE event_id = ANY($1::uuid[])',
      [others.map((d) => d.decisionId)],
    );
    expect(written).toHaveLength(5);
  });

  it('commits and rolls back with the business transaction it is given', async () => {
    let committed: PolicyDecision | undefined;
    await dataSource.transaction(async (manager) => {
      committed = await gate.decide(request, new OutboxDecisionRecorder(writer, manager));
    });
    expect(await rowOf(committed!)).toBeDefined();

    let rolledBack: PolicyDecision | undefined;
    await expect(
      dataSource.transaction(async (manager) => {
        rolledBack = await gate.decide(request, new OutboxDecisionRecorder(writer, manager));
        throw new Error('the guarded action failed');
      }),
    ).rejects.toThrow('the guarded action failed');
    expect(await rowOf(rolledBack!)).toBeUndefined();
  });

  it('is written by a unit of work when the work commits', async () => {
    const decision = await new UnitOfWork(dataSource, writer).run((work) =>
      gate.decide(request, new UnitOfWorkDecisionRecorder(work)),
    );
    expect(await rowOf(decision)).toMatchObject({ data: { decisionId: decision.decisionId } });
  });
});
