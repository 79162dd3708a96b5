import type { DriftGroupCounts } from '../../../../domain/drift/drift-counters';
import type { DriftReadModel } from '../../ports/drift-read-model.port';
import { GetDriftReportHandler } from './get-drift-report.handler';
import { GetDriftReportQuery } from './get-drift-report.query';

const group = (compliantRunning: number): DriftGroupCounts => ({
  environment: 'prod',
  platform: 'aws',
  site: 'london',
  family: '',
  compliantRunning,
  driftingRunning: 1,
  unmanagedRunning: 2,
  compliantStopped: 0,
  driftingStopped: 1,
  unmanagedStopped: 0,
});

/** A read model that fails on anything but the calls a report makes. */
function readModel(
  byScope: (organisation: string) => DriftGroupCounts[],
): DriftReadModel & { reads: number } {
  const model = {
    reads: 0,
    countersByScope: (organisation: string) => {
      model.reads += 1;
      return Promise.resolve(byScope(organisation));
    },
    countersByFamily: () => Promise.resolve([{ ...group(3), family: 'ubuntu' }]),
    outdatedAssets: () => Promise.resolve([]),
  };
  return new Proxy(model, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      throw new Error(`unexpected call to ${String(prop)}`);
    },
  }) as unknown as DriftReadModel & { reads: number };
}

describe('GetDriftReportHandler', () => {
  let now = 1_000_000;
  const clock = { now: () => new Date(now) };

  it('sums the scope, stopped apart and unmanaged outside coverage', async () => {
    const handler = new GetDriftReportHandler(
      readModel(() => [group(3)]),
      clock,
      0,
    );
    const report = await handler.execute(new GetDriftReportQuery('acme', { environment: 'prod' }, 10));
    expect(report.summary).toMatchObject({
      environment: 'prod',
      platform: null,
      totalAssets: 5,
      compliantAssets: 3,
      outdatedCount: 2,
      coveragePct: 60,
      stopped: { total: 1, compliant: 0, outdated: 1 },
      unmanagedAssets: 2,
    });
    expect(report.families).toEqual([expect.objectContaining({ family: 'ubuntu', totalAssets: 5 })]);
  });

  it('serves a stale report while one refresh runs, then the fresh one', async () => {
    let compliant = 3;
    const model = readModel(() => [group(compliant)]);
    const handler = new GetDriftReportHandler(model, clock, 1_000);
    const query = new GetDriftReportQuery('acme', {}, 10);
    expect((await handler.execute(query)).summary.compliantAssets).toBe(3);
    compliant = 7;
    now += 500;
    expect((await handler.execute(query)).summary.compliantAssets).toBe(3);
    expect(model.reads).toBe(1);
    now += 1_000;
    // Expired: this request still gets the cached report, and starts exactly one refresh.
    expect((await handler.execute(query)).summary.compliantAssets).toBe(3);
    await handler.execute(query);
    expect(model.reads).toBe(2);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect((await handler.execute(query)).summary.compliantAssets).toBe(7);
  });

  it("caches each organisation's report apart: one never gets another's", async () => {
    const model = readModel((organisation) => (organisation === 'acme' ? [group(3)] : []));
    const handler = new GetDriftReportHandler(model, clock, 60_000);
    expect((await handler.execute(new GetDriftReportQuery('acme', {}, 10))).summary.totalAssets).toBe(5);
    expect((await handler.execute(new GetDriftReportQuery('globex', {}, 10))).summary.totalAssets).toBe(0);
    expect((await handler.execute(new GetDriftReportQuery('acme', {}, 10))).summary.totalAssets).toBe(5);
    expect(model.reads).toBe(2);
  });

  it('reads on every request when caching is off', async () => {
    const model = readModel(() => [group(3)]);
    const handler = new GetDriftReportHandler(model, clock, 0);
    await handler.execute(new GetDriftReportQuery('acme', {}, 10));
    await handler.execute(new GetDriftReportQuery('acme', {}, 10));
    expect(model.reads).toBe(2);
  });
});
