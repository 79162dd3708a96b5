/**
 * Inventory ingestion throughput on the local stack. Prints figures; it is not a test.
 *
 *   For each fleet size (default 10k and 100k; RF_BENCH_INVENTORY_SIZES=10000,100000,1000000):
 *   (a) first scan of the simulated fleet: normalise → reconcile → bulk upsert → outbox, assets/s
 *   (b) churn scan (next epoch) and a check that the events match the generator's own diff, by count
 *   (c) re-scan of the same epoch: must emit no asset event
 *   Baselines in the same run, on the first 10k assets:
 *   (d) naive per-row ingestion: one SELECT, one upsert and one outbox append per asset
 *       (on 2k assets)
 *   (e) raw bulk upsert of the already-normalised rows through the repository (COPY into staging, then
 *       merge; no reconciliation, graph or events)
 *   (f) raw COPY of the same rows into the same table: the ceiling, and the ratio the first scan reaches
 *
 * Run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/inventory/ingestion.bench.ts
 * It resets the inventory test database (rf_inventory_test).
 */
import { processEnvironment } from '@rf/platform-config';
import { CONTRACT_EVENT_CATALOGUE, EVENT_BACKBONE_MIGRATIONS, OutboxWriter } from '@rf/platform-events';
import { copyRows, createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { DataSource } from 'typeorm';
import { RunScanCommand } from '../../services/inventory/src/application/commands/run-scan/run-scan.command';
import {
  RunScanHandler,
  type ScanSummary,
} from '../../services/inventory/src/application/commands/run-scan/run-scan.handler';
import { assetDiscovered } from '../../services/inventory/src/application/events/inventory-events';
import { trackAsset, type TrackedAsset } from '../../services/inventory/src/domain/asset/asset.entity';
import { RemovalPolicy } from '../../services/inventory/src/domain/change-detection/removal.policy';
import { normaliseAsset } from '../../services/inventory/src/domain/normalisation/asset.normaliser';
import { diffEpochs } from '../../services/inventory/src/infrastructure/connectors/simulated/simulated-fleet.diff';
import { SimulatedFleet } from '../../services/inventory/src/infrastructure/connectors/simulated/simulated-fleet.generator';
import { SimulatedConnector } from '../../services/inventory/src/infrastructure/connectors/simulated/simulated.connector';
import { INVENTORY_MIGRATIONS } from '../../services/inventory/src/infrastructure/persistence/inventory-migrations';
import {
  assetCopyRow,
  COLUMN_LIST,
  PostgresAssetRepository,
} from '../../services/inventory/src/infrastructure/persistence/postgres-asset.repository';

import {
  INVENTORY_EVENT_SOURCE,
  PostgresInventoryUnitOfWork,
} from '../../services/inventory/src/infrastructure/persistence/postgres-inventory.unit-of-work';
import { PostgresScanLock } from '../../services/inventory/src/infrastructure/persistence/postgres-scan.lock';

const env = processEnvironment();
const SIZES = (env['RF_BENCH_INVENTORY_SIZES'] ?? '10000,100000').split(',').map(Number);
const CHUNK = Number(env['RF_BENCH_INVENTORY_CHUNK'] ?? 5_000);
const BASELINE_SIZE = 10_000;
// The per-row loop is two orders of magnitude slower: a smaller fleet keeps the run short.
const NAIVE_SIZE = 2_000;
const SEED = 'bench';
const CONNECTOR_ID = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
/** The benchmark fleet's organisation: its assets, scans and events are stamped with it. */
const ORGANISATION = 'bench';
const url = testDatabaseUrl('inventory');

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-GB');

async function resetDatabase(): Promise<DataSource> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await admin.destroy();
  const db = createDataSource({
    url,
    service: 'inventory',
    migrations: [...EVENT_BACKBONE_MIGRATIONS, ...INVENTORY_MIGRATIONS],
  });
  await db.initialize();
  await runMigrations(db);
  return db;
}

async function truncate(db: DataSource): Promise<void> {
  await db.query('TRUNCATE assets, scans, outbox');
  await db.query('VACUUM ANALYZE assets');
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

async function eventCounts(db: DataSource, scanId: string): Promise<Record<string, number>> {
  const rows = await db.query<{ type: string; n: number }[]>(
    `SELECT split_part(event_type, '.', 4) AS type, count(*)::int AS n FROM outbox
     WHERE data->>'scanId' = $1 GROUP BY 1`,
    [scanId],
  );
  return Object.fromEntries(rows.map((r) => [r.type, r.n]));
}

function normalisedFleet(size: number): TrackedAsset[] {
  const fleet = new SimulatedFleet({ seed: SEED, size });
  const seenAt = new Date();
  const scanId = randomUUID();
  return [...fleet.records(0)].flatMap((record) => {
    const result = normaliseAsset(record, { organisation: ORGANISATION });
    return result.ok ? [trackAsset(result.asset, { connectorId: CONNECTOR_ID, scanId, seenAt })] : [];
  });
}

/** What a straightforward ORM-style loop does: a round trip per statement per asset. */
async function naivePerRow(db: DataSource, size: number): Promise<number> {
  const fleet = new SimulatedFleet({ seed: SEED, size });
  const outbox = new OutboxWriter(CONTRACT_EVENT_CATALOGUE, INVENTORY_EVENT_SOURCE);
  const scanId = randomUUID();
  const [, ms] = await timed(() =>
    db.transaction(async (manager) => {
      const assets = new PostgresAssetRepository(manager);
      for (const record of fleet.records(0)) {
        const result = normaliseAsset(record, { organisation: ORGANISATION });
        if (!result.ok) continue;
        const [previous] = await assets.findByIds([result.asset.assetId]);
        if (previous) continue;
        const tracked = trackAsset(result.asset, { connectorId: CONNECTOR_ID, scanId, seenAt: new Date() });
        await assets.upsert([tracked]);
        await outbox.append(manager, [assetDiscovered(tracked, scanId)]);
      }
    }),
  );
  return ms;
}

async function rawBulkInsert(db: DataSource, assets: readonly TrackedAsset[]): Promise<number> {
  const [, ms] = await timed(() =>
    db.transaction(async (manager) => {
      const repository = new PostgresAssetRepository(manager);
      for (let i = 0; i < assets.length; i += CHUNK) await repository.upsert(assets.slice(i, i + CHUNK));
    }),
  );
  return ms;
}

/** The same rows streamed straight into the assets table with COPY, one transaction per chunk. */
async function rawCopy(db: DataSource, assets: readonly TrackedAsset[]): Promise<number> {
  const columns = COLUMN_LIST.split(', ');
  const [, ms] = await timed(async () => {
    for (let i = 0; i < assets.length; i += CHUNK) {
      await db.transaction((manager) =>
        copyRows(manager, 'assets', columns, assets.slice(i, i + CHUNK).map(assetCopyRow)),
      );
    }
  });
  return ms;
}

async function main(): Promise<void> {
  const db = await resetDatabase();
  const [{ version } = { version: '?' }] = await db.query<{ version: string }[]>('SELECT version()');
  const cpu = cpus();
  console.log('Inventory ingestion benchmark');
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  console.log(
    `database: ${version.split(' on ')[0] ?? version}, chunk ${fmt(CHUNK)} assets per transaction\n`,
  );

  const handler = new RunScanHandler(
    new PostgresInventoryUnitOfWork(db),
    new PostgresScanLock(db),
    { now: () => new Date() },
    new RemovalPolicy(),
    { chunkSize: CHUNK, maxReportedProblems: 50 },
  );
  const scan = (epoch: number, size: number): Promise<[ScanSummary, number]> =>
    timed(() =>
      handler.execute(
        new RunScanCommand(
          new SimulatedConnector({ id: CONNECTOR_ID, fleet: { seed: SEED, size }, epoch }),
          ORGANISATION,
        ),
      ),
    );

  const firstScans = new Map<number, number>();
  for (const size of SIZES) {
    await truncate(db);
    const [first, firstMs] = await scan(0, size);
    const firstEvents = await eventCounts(db, first.scanId);
    firstScans.set(size, firstMs);
    console.log(`${fmt(size)} assets`);
    console.log(
      `  first scan   ${fmt(first.counts.discovered)} discovered in ${(firstMs / 1000).toFixed(2)} s: ` +
        `${fmt(rate(size, firstMs))} assets/s; outbox: ${fmt(firstEvents['discovered'] ?? 0)} discovered, ` +
        `${firstEvents['completed'] ?? 0} scan.completed ${firstEvents['discovered'] === size ? 'OK' : 'MISMATCH'}`,
    );

    const [churn, churnMs] = await scan(1, size);
    const churnEvents = await eventCounts(db, churn.scanId);
    const expected = diffEpochs(new SimulatedFleet({ seed: SEED, size }), 0, 1, ORGANISATION);
    const want = {
      discovered: expected.discovered.size,
      updated: expected.updated.size,
      removed: expected.terminated.size,
    };
    const got = {
      discovered: churnEvents['discovered'] ?? 0,
      updated: churnEvents['updated'] ?? 0,
      removed: churnEvents['removed'] ?? 0,
    };
    const listed =
      churn.counts.discovered + churn.counts.updated + churn.counts.unchanged + churn.counts.removed;
    const changed = got.discovered + got.updated + got.removed;
    console.log(
      `  churn scan   ${fmt(listed)} listed in ${(churnMs / 1000).toFixed(2)} s: ${fmt(rate(listed, churnMs))} assets/s; ` +
        `events ${JSON.stringify(got)} (${((changed / listed) * 100).toFixed(1)} % of the fleet), ` +
        `generator expects ${JSON.stringify(want)} ${JSON.stringify(got) === JSON.stringify(want) ? 'OK' : 'MISMATCH'}`,
    );

    const [again, againMs] = await scan(1, size);
    const againEvents = await eventCounts(db, again.scanId);
    const assetEvents = Object.entries(againEvents).filter(([type]) => type !== 'completed').length;
    console.log(
      `  re-scan      ${fmt(listed)} unchanged in ${(againMs / 1000).toFixed(2)} s: ${fmt(rate(listed, againMs))} assets/s; ` +
        `asset events ${assetEvents === 0 ? '0 OK' : `${assetEvents} MISMATCH`}\n`,
    );
  }

  console.log(`baselines, ${fmt(BASELINE_SIZE)} assets (first scan into an empty table)`);
  await truncate(db);
  const naiveMs = (await naivePerRow(db, NAIVE_SIZE)) * (BASELINE_SIZE / NAIVE_SIZE);
  console.log(
    `  naive per-row      ${fmt(rate(BASELINE_SIZE, naiveMs))} assets/s (measured on ${fmt(NAIVE_SIZE)} assets)`,
  );
  await truncate(db);
  const rows = normalisedFleet(BASELINE_SIZE);
  const rawMs = await rawBulkInsert(db, rows);
  console.log(
    `  raw bulk upsert    ${(rawMs / 1000).toFixed(2)} s: ${fmt(rate(BASELINE_SIZE, rawMs))} assets/s (rows only)`,
  );
  const firstScan10k = firstScans.get(BASELINE_SIZE) ?? 0;
  if (firstScan10k > 0) {
    console.log(
      `  RunScan first scan ${(firstScan10k / 1000).toFixed(2)} s: ${fmt(rate(BASELINE_SIZE, firstScan10k))} assets/s = ` +
        `${(naiveMs / firstScan10k).toFixed(1)} × naive, ${(rawMs / firstScan10k).toFixed(2)} × raw bulk upsert`,
    );
  }

  // The issue's yardstick: the same rows COPYed into the same table, at every size measured.
  console.log('\nfirst scan against a raw COPY of the same rows into the same (empty) table');
  for (const size of SIZES) {
    await truncate(db);
    const copyMs = await rawCopy(db, size === BASELINE_SIZE ? rows : normalisedFleet(size));
    const scanMs = firstScans.get(size) ?? 0;
    const ratio = copyMs / scanMs;
    console.log(
      `  ${fmt(size).padStart(9)}: raw COPY ${fmt(rate(size, copyMs))} assets/s, first scan ` +
        `${fmt(rate(size, scanMs))} assets/s = ${ratio.toFixed(2)} × raw COPY ` +
        `(targets: ≥ 100,000 assets/s ${rate(size, scanMs) >= 100_000 ? 'MET' : 'NOT MET'}, ` +
        `≥ 0.5 × raw COPY ${ratio >= 0.5 ? 'MET' : 'NOT MET'})`,
    );
  }
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
