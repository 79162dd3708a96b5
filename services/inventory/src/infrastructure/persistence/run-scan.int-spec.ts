import { EVENT_BACKBONE_MIGRATIONS } from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RunScanCommand } from '../../application/commands/run-scan/run-scan.command';
import { RunScanHandler } from '../../application/commands/run-scan/run-scan.handler';
import {
  ASSET_DISCOVERED,
  ASSET_REMOVED,
  ASSET_UPDATED,
  SCAN_COMPLETED,
} from '../../application/events/inventory-events';
import type { Connector, ConnectorScanRequest, RawAssetPage } from '../../application/ports/connector.port';
import { trackAsset } from '../../domain/asset/asset.entity';
import { RemovalPolicy } from '../../domain/change-detection/removal.policy';
import { edgesOf } from '../../domain/graph/asset-graph';
import { normaliseAsset } from '../../domain/normalisation/asset.normaliser';
import type { RawAssetRecord } from '../../domain/normalisation/raw-asset-record';
import { FileConnector } from '../connectors/file/file.connector';
import { diffEpochs } from '../connectors/simulated/simulated-fleet.diff';
import { SimulatedFleet } from '../connectors/simulated/simulated-fleet.generator';
import { SimulatedConnector } from '../connectors/simulated/simulated.connector';
import { createRunScanHandler } from '../run-scan.factory';
import { INVENTORY_MIGRATIONS } from './inventory-migrations';
import { type AssetRow, COLUMN_LIST, PostgresAssetRepository, toAsset } from './postgres-asset.repository';
import { PostgresInventoryUnitOfWork } from './postgres-inventory.unit-of-work';
import { PostgresScanLock } from './postgres-scan.lock';
import { PostgresScanRepository } from './postgres-scan.repository';

const url = testDatabaseUrl('inventory');
const clock = { now: () => new Date() };
const FLEET = { seed: 'integration', size: 5_000 };
const SIMULATED_ID = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const SCRIPTED_ID = '7a1d4e90-2c3b-4f8e-a615-0b9d8c7e6f52';
const FILE_ID = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
/** The organisation of the scanned connectors. */
const ORG = 'acme';

async function resetDatabase(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
}

async function connect(): Promise<DataSource> {
  const dataSource = createDataSource({
    url,
    service: 'inventory',
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ...INVENTORY_MIGRATIONS],
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

function handlerFor(dataSource: DataSource, k = 3): RunScanHandler {
  return createRunScanHandler(dataSource, { missedScansBeforeRemoval: k, chunkSize: 1_000 });
}

function record(instanceId: string, change: Partial<RawAssetRecord> = {}): RawAssetRecord {
  return {
    platform: 'aws',
    account: '123456789012',
    region: 'eu-west-1',
    instanceId,
    state: 'running',
    ...change,
  };
}

class ScriptedConnector implements Connector {
  readonly kind = 'aws';
  constructor(
    private readonly script: readonly (readonly RawAssetPage[])[],
    readonly id = SCRIPTED_ID,
  ) {}

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    for (const page of this.script[Math.min(request.sequence, this.script.length) - 1] ?? []) {
      await Promise.resolve();
      yield page;
    }
  }
}

interface OutboxRow {
  event_type: string;
  aggregate_id: string;
  organisation: string | null;
}

describe('RunScan against PostgreSQL', () => {
  let db: DataSource;
  let handler: RunScanHandler;

  beforeAll(async () => {
    await resetDatabase();
    db = await connect();
    handler = handlerFor(db);
  });

  afterAll(async () => {
    await db.destroy();
  });

  const outboxOf = (scanId: string) =>
    db.query<OutboxRow[]>(
      `SELECT event_type, aggregate_id, organisation FROM outbox WHERE data->>'scanId' = $1 ORDER BY id`,
      [scanId],
    );
  const idsOf = (rows: OutboxRow[], type: string) =>
    new Set(rows.filter((r) => r.event_type === type).map((r) => r.aggregate_id));

  describe('the simulated fleet', () => {
    const fleet = new SimulatedFleet(FLEET);
    const connector = new SimulatedConnector({ id: SIMULATED_ID, fleet: FLEET });

    it('first scan of 5,000 assets: stores them all and writes exactly one asset.discovered each, then one scan.completed', async () => {
      const summary = await handler.execute(new RunScanCommand(connector, ORG));
      expect(summary).toMatchObject({ outcome: 'succeeded', sequence: 1 });
      expect(summary.counts).toMatchObject({ discovered: 5_000, updated: 0, removed: 0, unchanged: 0 });

      const rows = await outboxOf(summary.scanId);
      const discovered = rows.filter((r) => r.event_type === ASSET_DISCOVERED);
      expect(discovered).toHaveLength(5_000);
      expect(idsOf(rows, ASSET_DISCOVERED).size).toBe(5_000);
      expect(rows.filter((r) => r.event_type === SCAN_COMPLETED)).toEqual([
        { event_type: SCAN_COMPLETED, aggregate_id: SIMULATED_ID, organisation: ORG },
      ]);
      // Every event is the connector's organisation's (ce_organisation), and so is every asset the
      // first scan appended with COPY.
      expect(new Set(rows.map((r) => r.organisation))).toEqual(new Set([ORG]));
      const stamped = await db.query<{ organisation: string; n: number }[]>(
        `SELECT organisation, count(*)::int AS n FROM assets GROUP BY organisation`,
      );
      expect(stamped).toEqual([{ organisation: ORG, n: 5_000 }]);
      expect(rows.at(-1)?.event_type).toBe(SCAN_COMPLETED);

      const [totals] = await db.query<{ assets: number; matching: number }[]>(
        `SELECT count(*)::int AS assets,
                count(*) FILTER (WHERE asset_id::text IN (SELECT aggregate_id FROM outbox))::int AS matching
         FROM assets`,
      );
      expect(totals).toEqual({ assets: 5_000, matching: 5_000 });
      const edges = await db.query<{ kind: string; n: number }[]>(
        `SELECT kind, count(*)::int AS n FROM asset_edges GROUP BY kind ORDER BY kind`,
      );
      expect(edges.find((e) => e.kind === 'account')?.n).toBe(5_000);
      expect(edges.find((e) => e.kind === 'site')?.n).toBe(5_000);
      expect(edges.find((e) => e.kind === 'image')?.n).toBeGreaterThan(4_800);
    });

    it('derives the asset graph in the database exactly as the domain defines its edges', async () => {
      const key = (e: { assetId: string; kind: string; target: string }) =>
        `${e.assetId} ${e.kind} ${e.target}`;
      const stored = await db.query<{ asset_id: string; kind: string; target: string }[]>(
        `SELECT asset_id, kind, target FROM asset_edges`,
      );
      const assets = (await db.query<AssetRow[]>(`SELECT ${COLUMN_LIST} FROM assets`)).map(toAsset);
      expect(assets.some((a) => a.platform === 'vsphere')).toBe(true);
      expect(stored.map((e) => key({ assetId: e.asset_id, kind: e.kind, target: e.target })).sort()).toEqual(
        assets.flatMap(edgesOf).map(key).sort(),
      );
    });

    it('a churn scan emits exactly the real changes', async () => {
      const summary = await handler.execute(new RunScanCommand(connector, ORG));
      const expected = diffEpochs(fleet, 0, 1, ORG);
      const rows = await outboxOf(summary.scanId);
      expect(new Set(rows.map((r) => r.organisation))).toEqual(new Set([ORG]));
      expect(idsOf(rows, ASSET_DISCOVERED)).toEqual(expected.discovered);
      expect(idsOf(rows, ASSET_UPDATED)).toEqual(expected.updated);
      expect(idsOf(rows, ASSET_REMOVED)).toEqual(expected.terminated);
      expect(rows).toHaveLength(
        expected.discovered.size + expected.updated.size + expected.terminated.size + 1,
      );
      expect(summary.counts).toMatchObject({
        discovered: expected.discovered.size,
        updated: expected.updated.size,
        removed: expected.terminated.size,
        unchanged: expected.unchanged,
      });
      const [missing] = await db.query<{ missing: number }[]>(
        `SELECT count(*)::int AS missing FROM assets WHERE missed_scans = 1 AND removed_at IS NULL`,
      );
      expect(missing?.missing).toBe(expected.vanished.size);
      // Rewritten (merged) and appended assets alike stay in the connector's organisation.
      expect(await db.query(`SELECT DISTINCT organisation FROM assets`)).toEqual([{ organisation: ORG }]);
    });

    it('a re-run of the same listing emits nothing but its scan.completed', async () => {
      const again = new SimulatedConnector({ id: SIMULATED_ID, fleet: FLEET, epoch: 1 });
      const summary = await handler.execute(new RunScanCommand(again, ORG));
      expect((await outboxOf(summary.scanId)).map((r) => r.event_type)).toEqual([SCAN_COMPLETED]);
      expect(summary.counts).toMatchObject({ discovered: 0, updated: 0, removed: 0 });
    });

    it('keeps the scan history, most recent first', async () => {
      const history = await db.transaction((manager) =>
        new PostgresScanRepository(manager).history(SIMULATED_ID, 10),
      );
      expect(history.map((s) => [s.sequence, s.status])).toEqual([
        [3, 'succeeded'],
        [2, 'succeeded'],
        [1, 'succeeded'],
      ]);
      expect(history[2]?.counts.discovered).toBe(5_000);
    });

    it('records a skipped slot after the latest scan, and prunes old history but each connector’s latest', async () => {
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const scans = new PostgresScanRepository(runner.manager);
        const slot = {
          scanId: randomUUID(),
          organisation: ORG,
          connectorId: SIMULATED_ID,
          connectorKind: 'simulated' as const,
        };
        await scans.recordSkipped({ ...slot, trigger: 'scheduled', startedAt: new Date() }, new Date(), {
          code: 'INVENTORY.SCAN_ALREADY_RUNNING',
          message: 'A scan of the connector is running',
          retriable: true,
        });
        expect((await scans.history(SIMULATED_ID, 1)).map((h) => [h.sequence, h.status, h.trigger])).toEqual([
          [4, 'skipped', 'scheduled'],
        ]);

        const finished = async () =>
          runner.manager.query<{ connector_id: string; n: number }[]>(
            `SELECT connector_id, count(*)::int AS n FROM scans WHERE status <> 'running' GROUP BY 1`,
          );
        expect((await finished()).find((r) => r.connector_id === SIMULATED_ID)?.n).toBe(4);
        const keepOnlyLatest = { startedBefore: new Date(Date.now() + 60_000), keepLatest: 1 };
        expect(await scans.prune(keepOnlyLatest)).toBeGreaterThanOrEqual(3);
        expect((await finished()).every((r) => r.n === 1)).toBe(true);
        expect((await scans.history(SIMULATED_ID, 10)).map((h) => h.sequence)).toEqual([4]);
        // Nothing is older than a day: a real retention deletes none of what is left.
        expect(await scans.prune({ startedBefore: new Date(Date.now() - 86_400_000), keepLatest: 1 })).toBe(
          0,
        );
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });

  it('removes an asset after K consecutive missed scans, with an asset.removed', async () => {
    const connector = new ScriptedConnector([
      [{ records: [record('i-a'), record('i-b')] }],
      [{ records: [record('i-a')] }],
    ]);
    await handler.execute(new RunScanCommand(connector, ORG));
    const removedPerScan: number[] = [];
    for (let i = 0; i < 3; i += 1)
      removedPerScan.push((await handler.execute(new RunScanCommand(connector, ORG))).counts.removed);
    expect(removedPerScan).toEqual([0, 0, 1]);
    const [removed] = await db.query<{ data: { instanceId: string; reason: string; missedScans: number } }[]>(
      `SELECT data FROM outbox WHERE event_type = $1 AND aggregate_id IN
         (SELECT asset_id::text FROM assets WHERE connector_id = $2)`,
      [ASSET_REMOVED, SCRIPTED_ID],
    );
    expect(removed?.data).toMatchObject({ instanceId: 'i-b', reason: 'missed_scans', missedScans: 3 });
    const rows = await db.query<{ instance_id: string; removal_reason: string | null; edges: number }[]>(
      `SELECT instance_id, removal_reason, (SELECT count(*)::int FROM asset_edges e WHERE e.asset_id = a.asset_id) AS edges
       FROM assets a WHERE connector_id = $1 ORDER BY instance_id`,
      [SCRIPTED_ID],
    );
    expect(rows).toEqual([
      { instance_id: 'i-a', removal_reason: null, edges: 2 },
      { instance_id: 'i-b', removal_reason: 'missed_scans', edges: 0 },
    ]);
  });

  it('appends new assets, and merges them instead when another scan stored some meanwhile', async () => {
    const fleet = new SimulatedFleet({ seed: 'insert-race', size: 600 });
    const sighting = { connectorId: SCRIPTED_ID, scanId: randomUUID(), seenAt: new Date() };
    const assets = [...fleet.records(0)].flatMap((r) => {
      const result = normaliseAsset(r);
      return result.ok ? [trackAsset(result.asset, sighting)] : [];
    });
    const [taken, ...rest] = assets;
    if (!taken) throw new Error('empty fleet');
    await db.transaction((m) => new PostgresAssetRepository(m).insert(rest.slice(0, 300)));
    await db.transaction((m) => new PostgresAssetRepository(m).upsert([{ ...taken, project: 'stale' }]));
    // Overlaps both earlier writes: COPY collides, the savepoint undoes it, and the batch is merged.
    await db.transaction((m) => new PostgresAssetRepository(m).insert(assets));
    const rows = await db.query<{ asset_id: string; project: string | null }[]>(
      `SELECT asset_id, project FROM assets WHERE asset_id = ANY($1::uuid[])`,
      [assets.map((a) => a.assetId)],
    );
    expect(rows).toHaveLength(assets.length);
    expect(rows.find((r) => r.asset_id === taken.assetId)?.project).toBe(taken.project);
  });

  it('writes chunks two at a time, yet an asset listed in two chunks is stored and announced once', async () => {
    const id = 'c3f0a2d1-8b7e-4c6d-9e5f-1a2b3c4d5e6f';
    // Chunks of two: [a b] [c a] [d e] [f g]; "a" comes back in the second chunk.
    const listing = ['i-pa', 'i-pb', 'i-pc', 'i-pa', 'i-pd', 'i-pe', 'i-pf', 'i-pg'].map((i) => record(i));
    const connector = new ScriptedConnector(
      [[{ records: listing.slice(0, 3) }, { records: listing.slice(3) }]],
      id,
    );
    const pipelined = createRunScanHandler(db, { missedScansBeforeRemoval: 3, chunkSize: 2 });
    // Open pool connections first, so the chunks' transactions really overlap.
    await Promise.all(Array.from({ length: 4 }, () => db.query('SELECT pg_sleep(0.05)')));
    const summary = await pipelined.execute(new RunScanCommand(connector, ORG));
    expect(summary).toMatchObject({ outcome: 'succeeded' });
    expect(summary.counts).toMatchObject({ discovered: 7, duplicates: 1, updated: 0 });
    const rows = await outboxOf(summary.scanId);
    expect(rows.filter((r) => r.event_type === ASSET_DISCOVERED)).toHaveLength(7);
    const [stored] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM assets WHERE connector_id = $1`,
      [id],
    );
    expect(stored?.n).toBe(7);
    const [history] = await db.query<{ discovered: number; duplicates: number }[]>(
      `SELECT discovered, duplicates FROM scans WHERE scan_id = $1`,
      [summary.scanId],
    );
    expect(history).toEqual({ discovered: 7, duplicates: 1 });
  });

  it('refuses a concurrent scan of the same connector, even from another process', async () => {
    const other = await connect();
    try {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started: () => void = () => undefined;
      const listing = new Promise<void>((resolve) => {
        started = resolve;
      });
      const slow: Connector = {
        id: SCRIPTED_ID,
        kind: 'aws',
        async *pages() {
          started();
          await gate;
          yield { records: [record('i-a')] };
        },
      };
      const running = handler.execute(new RunScanCommand(slow, ORG));
      await listing;
      await expect(
        handlerFor(other).execute(new RunScanCommand(new ScriptedConnector([[]]), ORG)),
      ).rejects.toMatchObject({
        code: 'INVENTORY.SCAN_ALREADY_RUNNING',
      });
      const [runningScans] = await db.query<{ running: number }[]>(
        `SELECT count(*)::int AS running FROM scans WHERE connector_id = $1 AND status = 'running'`,
        [SCRIPTED_ID],
      );
      expect(runningScans?.running).toBe(1);
      release();
      await expect(running).resolves.toMatchObject({ outcome: 'succeeded' });
      await expect(
        handlerFor(other).execute(new RunScanCommand(new ScriptedConnector([[]]), ORG)),
      ).resolves.toMatchObject({
        outcome: 'succeeded',
      });
    } finally {
      await other.destroy();
    }
  });

  it('marks a scan left running by a dead process abandoned when the next scan takes the lock', async () => {
    const id = '4b3a2918-0706-4f5e-8d4c-3b2a19080706';
    await db.query(
      `INSERT INTO scans (scan_id, connector_id, connector_kind, sequence, status, started_at, organisation)
       VALUES ('6c5b4a39-2817-4e6d-9c5b-4a3928170605', $1, 'aws', 1, 'running', now() - interval '1 hour', $2)`,
      [id, ORG],
    );
    const summary = await handler.execute(new RunScanCommand(new ScriptedConnector([[]], id), ORG));
    expect(summary.sequence).toBe(2);
    const rows = await db.query<{ sequence: number; status: string; finished: boolean }[]>(
      `SELECT sequence, status, finished_at IS NOT NULL AS finished FROM scans WHERE connector_id = $1 ORDER BY sequence`,
      [id],
    );
    expect(rows).toEqual([
      { sequence: 1, status: 'abandoned', finished: true },
      { sequence: 2, status: 'succeeded', finished: true },
    ]);
  });

  it('stops a scan whose lease was taken over, rolling back the chunk in flight', async () => {
    const id = '2f1e0d9c-8b7a-4654-8321-0fedcba98765';
    const hijack: Connector = {
      id,
      kind: 'aws',
      async *pages() {
        yield { records: [record('i-lease-1')] };
        // The first chunk is written while this page is listed: wait until it has committed.
        await waitFor(
          async () => {
            const rows = await db.query<unknown[]>(`SELECT 1 FROM assets WHERE instance_id = 'i-lease-1'`);
            return rows.length > 0 ? true : undefined;
          },
          { timeoutMs: 10_000, intervalMs: 10, description: 'the first chunk to commit' },
        );
        await db.query(
          `UPDATE scans SET status = 'abandoned' WHERE connector_id = $1 AND status = 'running'`,
          [id],
        );
        yield { records: [record('i-lease-2')] };
      },
    };
    const small = new RunScanHandler(
      new PostgresInventoryUnitOfWork(db),
      new PostgresScanLock(db),
      clock,
      new RemovalPolicy(),
      {
        chunkSize: 1,
        maxReportedProblems: 50,
      },
    );
    await expect(small.execute(new RunScanCommand(hijack, ORG))).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_LEASE_LOST',
    });
    const rows = await db.query<{ instance_id: string }[]>(
      `SELECT instance_id FROM assets WHERE connector_id = $1`,
      [id],
    );
    expect(rows.map((r) => r.instance_id)).toEqual(['i-lease-1']);
  });

  describe('file import', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'rf-inventory-int-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses an invalid file with line-numbered errors and imports nothing', async () => {
      const path = join(dir, 'cmdb.csv');
      await writeFile(
        path,
        [
          'platform,account,region,instance_id,state,tag:owner',
          'file,cmdb,LDN-DC1,srv-001,running,ops',
          'file,cmdb,LDN-DC1,srv-002,exploded,ops',
          'file,cmdb,LDN-DC1,,running,ops',
          'file,cmdb,LDN-DC1,srv-001,stopped,ops',
        ].join('\n'),
      );
      const summary = await handler.execute(
        new RunScanCommand(new FileConnector({ id: FILE_ID, path }), ORG),
      );
      expect(summary.outcome).toBe('failed');
      expect(summary.problems.map((p) => p.message)).toEqual([
        'line 3: /state: must be one of "running", "stopped", "terminated"',
        'line 4: /instanceId: is required',
        'line 5: duplicate of the asset on line 2 (same platform, account, region, instanceId)',
      ]);
      const [imported] = await db.query<{ assets: number }[]>(
        `SELECT count(*)::int AS assets FROM assets WHERE connector_id = $1`,
        [FILE_ID],
      );
      expect(imported?.assets).toBe(0);
      const rows = await db.query<{ event_type: string; outcome: string }[]>(
        `SELECT event_type, data->>'outcome' AS outcome FROM outbox WHERE data->>'connectorId' = $1`,
        [FILE_ID],
      );
      expect(rows).toEqual([{ event_type: SCAN_COMPLETED, outcome: 'failed' }]);
    });

    it('imports a valid file', async () => {
      const path = join(dir, 'cmdb.json');
      await writeFile(
        path,
        JSON.stringify({
          assets: [
            {
              account: 'cmdb',
              region: 'LDN-DC1',
              site: 'london',
              instanceId: 'srv-001',
              state: 'running',
              imageRef: 'tpl-rhel-9-hardened-2025.01.20',
            },
            {
              account: 'cmdb',
              region: 'LDN-DC1',
              instanceId: 'srv-002',
              state: 'stopped',
              tags: { environment: 'Production' },
            },
          ],
        }),
      );
      const summary = await handler.execute(
        new RunScanCommand(new FileConnector({ id: FILE_ID, path }), ORG),
      );
      expect(summary).toMatchObject({
        outcome: 'succeeded',
        counts: {
          discovered: 2,
          updated: 0,
          removed: 0,
          unchanged: 0,
          duplicates: 0,
          rejected: 0,
          ignored: 0,
        },
      });
      const rows = await db.query<
        { instance_id: string; site: string; environment: string | null; image_version: string | null }[]
      >(
        `SELECT instance_id, site, environment, image_version FROM assets WHERE connector_id = $1 ORDER BY instance_id`,
        [FILE_ID],
      );
      expect(rows).toEqual([
        { instance_id: 'srv-001', site: 'london', environment: null, image_version: '2025.01.20' },
        { instance_id: 'srv-002', site: 'LDN-DC1', environment: 'prod', image_version: null },
      ]);
    });
  });
});
