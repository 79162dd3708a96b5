import { validateEventData } from '@rf/contracts';
import { RemovalPolicy } from '../../../domain/change-detection/removal.policy';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import { ConnectorFailure } from '../../../domain/scan/connector-failure.error';
import type { ScanProblem } from '../../../domain/scan/scan-problem';
import { diffEpochs } from '../../../infrastructure/connectors/simulated/simulated-fleet.diff';
import { SimulatedFleet } from '../../../infrastructure/connectors/simulated/simulated-fleet.generator';
import { SimulatedConnector } from '../../../infrastructure/connectors/simulated/simulated.connector';
import { InMemoryInventoryStore } from '../../../infrastructure/persistence/in-memory-inventory.store';
import {
  ASSET_DISCOVERED,
  ASSET_REMOVED,
  ASSET_UPDATED,
  type InventoryEvent,
  SCAN_COMPLETED,
} from '../../events/inventory-events';
import type { Connector, ConnectorScanRequest, RawAssetPage } from '../../ports/connector.port';
import { RunScanCommand } from './run-scan.command';
import { RunScanHandler } from './run-scan.handler';

const CONNECTOR_ID = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const clock = { now: () => new Date() };

function record(instanceId: string, change: Partial<RawAssetRecord> = {}): RawAssetRecord {
  return {
    platform: 'aws',
    account: '123456789012',
    region: 'eu-west-1',
    instanceId,
    state: 'running',
    imageName: 'ubuntu-22-04-base-2025.10.14',
    imageRef: 'ami-0c55b159cbfafe1f0',
    tags: { environment: 'prod' },
    ...change,
  };
}

/** Lists, for the n-th scan, the n-th script entry (the last one from then on). */
class ScriptedConnector implements Connector {
  readonly kind = 'aws';
  constructor(
    private readonly script: readonly (readonly RawAssetPage[])[],
    readonly id = CONNECTOR_ID,
  ) {}

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    const pages = this.script[Math.min(request.sequence, this.script.length) - 1] ?? [];
    for (const page of pages) {
      await Promise.resolve();
      request.signal.throwIfAborted();
      yield page;
    }
  }
}

/** The scanned connector's organisation. */
const ORG = 'acme';

function setup(options: { k?: number; chunkSize?: number } = {}) {
  const store = new InMemoryInventoryStore();
  const handler = new RunScanHandler(store, store, clock, new RemovalPolicy(options.k ?? 3), {
    chunkSize: options.chunkSize ?? 100,
    maxReportedProblems: 50,
  });
  const scan = (connector: Connector, signal?: AbortSignal) =>
    handler.execute(new RunScanCommand(connector, ORG, signal ? { signal } : {}));
  return { store, handler, scan };
}

function eventsOf(store: InMemoryInventoryStore, scanId: string): InventoryEvent[] {
  return store.outbox.filter((e) => e.data.scanId === scanId);
}

function idsOf(events: readonly InventoryEvent[], type: InventoryEvent['type']): Set<string> {
  return new Set(
    events.filter((e) => e.type === type).map((e) => ('assetId' in e.data ? e.data.assetId : '')),
  );
}

describe('RunScanHandler', () => {
  const fleet = { seed: 'unit', size: 400 };

  it('announces every asset of a first scan once, then one scan.completed, all valid against the contracts', async () => {
    const { store, scan } = setup();
    const summary = await scan(new SimulatedConnector({ id: CONNECTOR_ID, fleet, pageSize: 64 }));
    const events = eventsOf(store, summary.scanId);
    expect(summary).toMatchObject({ outcome: 'succeeded', sequence: 1 });
    expect(summary.counts).toMatchObject({ discovered: 400, updated: 0, removed: 0, unchanged: 0 });
    expect(idsOf(events, ASSET_DISCOVERED).size).toBe(400);
    expect(events.filter((e) => e.type === SCAN_COMPLETED)).toHaveLength(1);
    expect(events.at(-1)?.type).toBe(SCAN_COMPLETED);
    for (const event of events) expect(validateEventData(event.type, event.data)).toMatchObject({ ok: true });
    // Every asset, the scan record and every event are in the connector's organisation.
    expect(events.every((e) => e.organisation === ORG)).toBe(true);
    expect([...store.assets.values()].every((a) => a.organisation === ORG)).toBe(true);
    expect(store.assets.size).toBe(400);
    const [first] = store.assets.keys();
    expect(store.edgesOf(first ?? '').map((e) => e.kind)).toEqual(
      expect.arrayContaining(['site', 'account']),
    );
    expect(store.scans).toEqual([
      expect.objectContaining({ status: 'succeeded', sequence: 1, organisation: ORG }),
    ]);
  });

  it('keeps the same machines listed by connectors of two organisations apart', async () => {
    const { store, handler } = setup();
    const acme = await handler.execute(
      new RunScanCommand(new SimulatedConnector({ id: CONNECTOR_ID, fleet }), 'acme'),
    );
    const other = new SimulatedConnector({ id: 'f1d2e3c4-b5a6-4978-8a1b-2c3d4e5f6a7b', fleet });
    const globex = await handler.execute(new RunScanCommand(other, 'globex'));
    expect(globex.counts).toMatchObject({ discovered: 400, unchanged: 0 });
    expect(store.assets.size).toBe(800);
    const organisations = new Set(eventsOf(store, globex.scanId).map((e) => e.organisation));
    expect(organisations).toEqual(new Set(['globex']));
    expect(new Set(eventsOf(store, acme.scanId).map((e) => e.organisation))).toEqual(new Set(['acme']));
  });

  it('emits only the real changes on a churn scan, and nothing on a re-run of the same listing', async () => {
    const { store, scan } = setup();
    const connector = new SimulatedConnector({ id: CONNECTOR_ID, fleet });
    await scan(connector);
    const churn = await scan(connector);
    const expected = diffEpochs(new SimulatedFleet(fleet), 0, 1, ORG);
    const events = eventsOf(store, churn.scanId);
    expect(idsOf(events, ASSET_DISCOVERED)).toEqual(expected.discovered);
    expect(idsOf(events, ASSET_UPDATED)).toEqual(expected.updated);
    expect(idsOf(events, ASSET_REMOVED)).toEqual(expected.terminated);
    expect(churn.counts).toMatchObject({
      discovered: expected.discovered.size,
      updated: expected.updated.size,
      removed: expected.terminated.size,
      unchanged: expected.unchanged,
    });
    for (const event of events) expect(validateEventData(event.type, event.data)).toMatchObject({ ok: true });

    const replay = await scan(new SimulatedConnector({ id: CONNECTOR_ID, fleet, epoch: 1 }));
    expect(eventsOf(store, replay.scanId).map((e) => e.type)).toEqual([SCAN_COMPLETED]);
    expect(replay.counts).toMatchObject({ discovered: 0, updated: 0, removed: 0 });
  });

  it('removes an asset after K consecutive missed scans, not before', async () => {
    const { store, scan } = setup({ k: 3 });
    const connector = new ScriptedConnector([
      [{ records: [record('i-a'), record('i-b')] }],
      [{ records: [record('i-a')] }],
    ]);
    const first = await scan(connector);
    const removals: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const next = await scan(connector);
      removals.push(next.counts.removed);
    }
    expect(removals).toEqual([0, 0, 1, 0]);
    const removed = store.outbox.filter((e) => e.type === ASSET_REMOVED);
    expect(removed).toHaveLength(1);
    expect(removed[0]?.data).toMatchObject({ instanceId: 'i-b', reason: 'missed_scans', missedScans: 3 });
    expect(validateEventData(ASSET_REMOVED, removed[0]?.data)).toMatchObject({ ok: true });
    const b = [...store.assets.values()].find((a) => a.instanceId === 'i-b');
    expect(b).toMatchObject({ removalReason: 'missed_scans', lastSeenScanId: first.scanId });
    expect(store.edgesOf(b?.assetId ?? '')).toEqual([]);
  });

  it('resets the miss counter when a missing asset comes back', async () => {
    const { store, scan } = setup({ k: 2 });
    const both = [{ records: [record('i-a'), record('i-b')] }];
    const onlyA = [{ records: [record('i-a')] }];
    const connector = new ScriptedConnector([both, onlyA, both, onlyA, both]);
    for (let i = 0; i < 5; i += 1) await scan(connector);
    expect(store.outbox.filter((e) => e.type === ASSET_REMOVED)).toHaveLength(0);
  });

  it('removes an asset its provider reports terminated at once, and forgets untracked terminated ones', async () => {
    const { store, scan } = setup();
    const connector = new ScriptedConnector([
      [{ records: [record('i-a'), record('i-gone', { state: 'terminated' })] }],
      [{ records: [record('i-a', { state: 'terminated' })] }],
    ]);
    const first = await scan(connector);
    expect(first.counts).toMatchObject({ discovered: 1, ignored: 1 });
    const second = await scan(connector);
    expect(second.counts.removed).toBe(1);
    expect(eventsOf(store, second.scanId)[0]?.data).toMatchObject({ reason: 'terminated', missedScans: 0 });
  });

  it('never decides removals from a partial scan, and reports why it was partial', async () => {
    const { store, scan } = setup({ k: 1 });
    const throttled: ScanProblem = {
      code: 'CONNECTOR.THROTTLED',
      message: 'DescribeInstances throttled after 5 retries',
      account: '123456789012',
      region: 'ap-southeast-2',
      retriable: true,
    };
    const connector = new ScriptedConnector([
      [{ records: [record('i-a'), record('i-b')] }],
      [{ records: [record('i-a'), record('i-bad', { state: 'hibernating' })], problems: [throttled] }],
    ]);
    await scan(connector);
    const partial = await scan(connector);
    expect(partial.outcome).toBe('partial');
    expect(partial.counts).toMatchObject({ removed: 0, unchanged: 1, rejected: 1 });
    expect(partial.problems).toEqual([
      throttled,
      expect.objectContaining({ code: 'INVENTORY.INVALID_RECORD' }),
    ]);
    expect(partial.problems[1]?.message).toContain('i-bad');
    const completed = eventsOf(store, partial.scanId).find((e) => e.type === SCAN_COMPLETED);
    expect(completed?.data).toMatchObject({ outcome: 'partial' });
    expect(validateEventData(SCAN_COMPLETED, completed?.data)).toMatchObject({ ok: true });
  });

  it('counts an asset listed twice in one scan once, across chunks', async () => {
    const { scan } = setup({ chunkSize: 2 });
    const pages = [
      { records: [record('i-a'), record('i-b'), record('i-c')] },
      { records: [record('i-a', { state: 'stopped' })] },
    ];
    const summary = await scan(new ScriptedConnector([pages]));
    expect(summary.counts).toMatchObject({ discovered: 3, duplicates: 1, updated: 0 });
  });

  it('refuses a second scan of a connector while one runs, and allows it afterwards', async () => {
    const { scan } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Connector = {
      id: CONNECTOR_ID,
      kind: 'aws',
      async *pages() {
        await gate;
        yield { records: [record('i-a')] };
      },
    };
    const running = scan(slow);
    await expect(scan(new ScriptedConnector([[]]))).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_ALREADY_RUNNING',
      retriable: true,
    });
    expect(await scan(new ScriptedConnector([[]], '7a1d4e90-2c3b-4f8e-a615-0b9d8c7e6f52'))).toMatchObject({
      outcome: 'succeeded',
    });
    release();
    await expect(running).resolves.toMatchObject({ outcome: 'succeeded' });
    await expect(scan(new ScriptedConnector([[]]))).resolves.toMatchObject({ sequence: 2 });
  });

  it('keeps a scheduled slot that was skipped because the previous scan still ran in the history', async () => {
    const { store, handler, scan } = setup();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Connector = {
      id: CONNECTOR_ID,
      kind: 'aws',
      async *pages() {
        await gate;
        yield { records: [record('i-a')] };
      },
    };
    const running = scan(slow);
    const scheduled = new RunScanCommand(new ScriptedConnector([[]]), ORG, { trigger: 'scheduled' });
    await expect(handler.execute(scheduled)).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_ALREADY_RUNNING',
    });
    // A refused request is answered, not recorded.
    await expect(scan(new ScriptedConnector([[]]))).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_ALREADY_RUNNING',
    });
    release();
    await running;
    expect(store.scans.map((s) => [s.sequence, s.trigger, s.status, s.problems.map((p) => p.code)])).toEqual([
      [1, 'on_demand', 'succeeded', []],
      [2, 'scheduled', 'skipped', ['INVENTORY.SCAN_ALREADY_RUNNING']],
    ]);
  });

  it('records a cancelled scan as failed, keeping the chunks it committed, and releases the lock', async () => {
    const { store, scan } = setup({ chunkSize: 1 });
    const controller = new AbortController();
    const connector: Connector = {
      id: CONNECTOR_ID,
      kind: 'aws',
      async *pages(request) {
        yield { records: [record('i-a')] };
        controller.abort();
        await Promise.resolve();
        request.signal.throwIfAborted();
        yield { records: [record('i-b')] };
      },
    };
    const summary = await scan(connector, controller.signal);
    expect(summary.outcome).toBe('failed');
    expect(summary.counts.discovered).toBe(1);
    expect(summary.problems).toEqual([expect.objectContaining({ code: 'INVENTORY.SCAN_CANCELLED' })]);
    expect(eventsOf(store, summary.scanId).map((e) => e.type)).toEqual([ASSET_DISCOVERED, SCAN_COMPLETED]);
    await expect(scan(new ScriptedConnector([[]]))).resolves.toMatchObject({ outcome: 'succeeded' });
  });

  it('fails the scan with the connector problems and ingests nothing when the listing is refused', async () => {
    const { store, scan } = setup();
    const refused: Connector = {
      id: CONNECTOR_ID,
      kind: 'file',
      // eslint-disable-next-line require-yield
      async *pages() {
        await Promise.resolve();
        throw new ConnectorFailure('INVENTORY.FILE_IMPORT_INVALID', 'invalid file', [
          {
            code: 'INVENTORY.FILE_IMPORT_INVALID',
            message: 'line 3: /state: must be one of …',
            retriable: false,
          },
        ]);
      },
    };
    const summary = await scan(refused);
    expect(summary.outcome).toBe('failed');
    expect(summary.problems).toEqual([
      expect.objectContaining({ message: 'line 3: /state: must be one of …' }),
    ]);
    expect(store.assets.size).toBe(0);
    expect(store.outbox.map((e) => e.type)).toEqual([SCAN_COMPLETED]);
  });

  it('reports an unexpected connector error as retriable, without a partial removal decision', async () => {
    const { scan } = setup({ k: 1 });
    const connector = new ScriptedConnector([[{ records: [record('i-a')] }]]);
    await scan(connector);
    const broken: Connector = {
      id: CONNECTOR_ID,
      kind: 'aws',
      // eslint-disable-next-line require-yield
      async *pages() {
        await Promise.resolve();
        throw new Error('socket hang up');
      },
    };
    const summary = await scan(broken);
    expect(summary.outcome).toBe('failed');
    expect(summary.counts.removed).toBe(0);
    expect(summary.problems).toEqual([
      { code: 'INVENTORY.SCAN_FAILED', message: 'Error: socket hang up', retriable: true },
    ]);
  });

  it('refuses a chunk size that could never fill', () => {
    const store = new InMemoryInventoryStore();
    expect(
      () =>
        new RunScanHandler(store, store, clock, new RemovalPolicy(), {
          chunkSize: 0,
          maxReportedProblems: 1,
        }),
    ).toThrow(/chunkSize/);
  });
});
