/**
 * Evidence ledger throughput and latency on the local stack. Prints figures; it is not a test.
 *
 *   (a) append throughput into PostgreSQL through AppendEntries, in batches (leaf encoding, hashing,
 *       payload insert, entries + subtree nodes insert under the head lock)
 *   (b) at each tree size: root, inclusion-proof and consistency-proof latency from PostgreSQL, p50/p99
 *   (c) verification latency of those proofs, and checkpoint signing and verification
 *   (d) baseline in the same run: RFC 6962 taken literally, re-hashing the tree in memory for each
 *       root or proof at the same sizes
 *
 * Run (the local stack must be up):
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/ledger/ledger.bench.ts
 * It empties and uses its own database, RF_BENCH_LEDGER_DATABASE_URL (its name must contain `test`;
 * default rf_ledger_bench_test on the local PostgreSQL, created when missing), never a service's.
 * Sizes and volume: RF_BENCH_LEDGER_SIZES (default 100000), RF_BENCH_LEDGER_BATCH (1000),
 * RF_BENCH_LEDGER_SAMPLES (1000 proofs per size), RF_BENCH_LEDGER_BASELINE_SAMPLES (10).
 *
 * RF_BENCH_LEDGER_LOAD=copy reaches large trees (10⁷ leaves) in minutes instead of hours: the leaves
 * are encoded and hashed as AppendEntries does, streamed into ledger_entries with COPY (no payloads),
 * and the perfect-subtree table ledger_nodes is built level by level with set-based SQL (PostgreSQL's
 * sha256 over 0x01 ‖ left ‖ right, RFC 6962). Roots, proofs and checkpoints are then read and signed by
 * the production code (PostgresLedgerRepository, PublishCheckpointHandler), and the stored root is
 * checked against the in-memory baseline's. Appends, storage per payload and audit bundles are measured
 * in the default mode only. 10⁷ leaves take about 5 GB; run node with --max-old-space-size=6144.
 * RF_BENCH_LEDGER_REUSE=1 measures roots and proofs again on the tree a previous copy run left in the
 * bench database, at its size, without loading anything or recomputing the baseline.
 */
import { processEnvironment } from '@rf/platform-config';
import {
  auditLedger,
  Ed25519NoteSigner,
  encodeLeaf,
  hashLeaf,
  payloadHashOf,
  payloadRefFor,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  verifyCheckpointNote,
  verifyConsistency,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import { assertTestDatabase, createDataSource, runMigrations } from '@rf/platform-persistence';
import { stackEndpoints } from '@rf/platform-testing';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import {
  AppendEntriesCommand,
  type EvidenceEvent,
} from '../../services/ledger/src/application/commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from '../../services/ledger/src/application/commands/append-entries/append-entries.handler';
import { PublishCheckpointCommand } from '../../services/ledger/src/application/commands/publish-checkpoint/publish-checkpoint.command';
import { PublishCheckpointHandler } from '../../services/ledger/src/application/commands/publish-checkpoint/publish-checkpoint.handler';
import { EVERY_ORGANISATION } from '../../services/ledger/src/application/ports/ledger.repository.port';
import { GetAuditBundleHandler } from '../../services/ledger/src/application/queries/get-audit-bundle/get-audit-bundle.handler';
import { GetAuditBundleQuery } from '../../services/ledger/src/application/queries/get-audit-bundle/get-audit-bundle.query';
import { LEDGER_MIGRATIONS } from '../../services/ledger/src/infrastructure/persistence/ledger-migrations';
import { PostgresLedgerRepository } from '../../services/ledger/src/infrastructure/persistence/postgres-ledger.repository';
import { PostgresPayloadStore } from '../../services/ledger/src/infrastructure/persistence/postgres-payload.store';

const env = processEnvironment();
const SIZES = (env['RF_BENCH_LEDGER_SIZES'] ?? '100000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const BATCH = Number(env['RF_BENCH_LEDGER_BATCH'] ?? 1_000);
const SAMPLES = Number(env['RF_BENCH_LEDGER_SAMPLES'] ?? 1_000);
const BASELINE_SAMPLES = Number(env['RF_BENCH_LEDGER_BASELINE_SAMPLES'] ?? 10);
const LOAD = env['RF_BENCH_LEDGER_LOAD'] === 'copy' ? 'copy' : 'append';
const REUSE = env['RF_BENCH_LEDGER_REUSE'] === '1';
const DATABASE_URL =
  env['RF_BENCH_LEDGER_DATABASE_URL'] ?? `${stackEndpoints().postgresUrl}/rf_ledger_bench_test`;
// The bench empties its database first: only a test database may be named.
assertTestDatabase(DATABASE_URL);
const ORIGIN = 'bench.resiliencefabric.io/evidence';

/** A deterministic generator, so runs are comparable. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function event(i: number): EvidenceEvent {
  return {
    // Platform-wide, as the leaves COPY streams in below: no organisation is bound into them.
    organisation: null,
    eventId: `0b5e7f3c-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    type: 'io.resiliencefabric.remediation.wave-completed.v1',
    subject: `remediation/${(i % 5_000).toString(16)}`,
    time: new Date(Date.UTC(2025, 10, 22) + i * 37).toISOString(),
    payload: {
      remediationId: `r-${i % 5_000}`,
      wave: i % 12,
      assets: [`i-${i.toString(16).padStart(17, '0')}`, `i-${(i + 1).toString(16).padStart(17, '0')}`],
      imageRef: 'ami-0c55b159cbfafe1f0',
      outcome: i % 50 === 0 ? 'rolled-back' : 'succeeded',
      durationSeconds: (i % 900) / 3,
    },
  };
}

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly n: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, n: sorted.length };
}

async function timeEach(n: number, run: (i: number) => unknown): Promise<Stats> {
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return stats(samples);
}

const ms = (x: number): string =>
  x < 1 ? `${(x * 1_000).toFixed(0)} µs` : `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const row = (label: string, s: Stats): string =>
  `  ${label.padEnd(46)} p50 ${ms(s.p50).padStart(9)}   p99 ${ms(s.p99).padStart(9)}   (n=${s.n})`;

async function resetDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const server = new URL(url);
  server.pathname = '/postgres';
  const root = new DataSource({ type: 'postgres', url: server.toString() });
  await root.initialize();
  const exists = await root.query<unknown[]>('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.length === 0) await root.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await root.destroy();
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(
    'DROP SCHEMA IF EXISTS ledger_backup CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
  );
  await admin.destroy();
}

/** The leaf of event i, encoded and hashed exactly as AppendEntries does. */
function leafOf(i: number): { leaf: Buffer; leafHash: Buffer; payloadHash: string; payloadRef: string } {
  const e = event(i);
  const payloadHash = payloadHashOf(e.payload);
  const payloadRef = payloadRefFor(e.eventId);
  const leaf = encodeLeaf({
    eventId: e.eventId,
    type: e.type,
    subject: e.subject,
    time: e.time,
    payloadHash,
    payloadRef,
  });
  return { leaf, leafHash: hashLeaf(leaf), payloadHash, payloadRef };
}

/**
 * Grows the log from `from` to `size` leaves without AppendEntries: COPY of the entries, then every
 * perfect subtree that completes, one set-based INSERT per level. Secondary indexes are dropped for the
 * load and rebuilt after it (the primary keys, which proofs read by, stay throughout).
 */
async function bulkLoad(
  dataSource: DataSource,
  from: number,
  size: number,
  leafHashes: Buffer[],
): Promise<void> {
  const indexes = await dataSource.query<{ indexname: string; indexdef: string }[]>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.tablename = 'ledger_entries'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of indexes) await dataSource.query(`DROP INDEX "${i.indexname}"`);
  const appendedAt = new Date().toISOString();
  function* lines(): Generator<string> {
    const CHUNK = 2_000;
    for (let start = from; start < size; start += CHUNK) {
      let chunk = '';
      for (let i = start; i < Math.min(size, start + CHUNK); i += 1) {
        const l = leafOf(i);
        leafHashes.push(l.leafHash);
        chunk += `${i}\t${event(i).eventId}\t\\\\x${l.leaf.toString('hex')}\t\\\\x${l.leafHash.toString('hex')}\t${l.payloadHash}\t${l.payloadRef}\t${appendedAt}\n`;
      }
      yield chunk;
    }
  }
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    await pipeline(
      Readable.from(lines()),
      client.query(
        copyFrom(
          'COPY ledger_entries (index, event_id, leaf, leaf_hash, payload_hash, payload_ref, appended_at) FROM STDIN',
        ),
      ),
    );
  } finally {
    await runner.release();
  }
  for (const i of indexes) await dataSource.query(i.indexdef);
  // Level 1 from the leaf hashes, every higher level from the one below: node (l, k) completes once
  // leaf (k+1)·2^l − 1 is in, so the nodes new at this size are k in [from >> l, size >> l).
  await dataSource.query(
    `INSERT INTO ledger_nodes (level, idx, hash)
     SELECT 1, l.index / 2, sha256('\\x01'::bytea || l.leaf_hash || r.leaf_hash)
       FROM ledger_entries l JOIN ledger_entries r ON r.index = l.index + 1
      WHERE l.index >= $1 AND l.index < $2 AND l.index % 2 = 0`,
    [2 * Math.floor(from / 2), 2 * Math.floor(size / 2)],
  );
  for (let level = 2; 2 ** level <= size; level += 1) {
    const lo = Math.floor(from / 2 ** level);
    const hi = Math.floor(size / 2 ** level);
    if (lo >= hi) continue;
    await dataSource.query(
      `INSERT INTO ledger_nodes (level, idx, hash)
       SELECT $1::smallint, l.idx / 2, sha256('\\x01'::bytea || l.hash || r.hash)
         FROM ledger_nodes l JOIN ledger_nodes r ON r.level = l.level AND r.idx = l.idx + 1
        WHERE l.level = $1::smallint - 1 AND l.idx >= $2 AND l.idx < $3 AND l.idx % 2 = 0`,
      [level, 2 * lo, 2 * hi],
    );
  }
  await dataSource.query(`UPDATE ledger_head SET tree_size = $1 WHERE id = 1`, [size]);
  await dataSource.query('ANALYZE ledger_entries; ANALYZE ledger_nodes');
}

async function main(): Promise<void> {
  const url = DATABASE_URL;
  if (!REUSE) await resetDatabase(url);
  const dataSource = createDataSource({ url, service: 'ledger', migrations: [...LEDGER_MIGRATIONS] });
  await dataSource.initialize();
  await runMigrations(dataSource);
  const [{ server_version: version }] =
    await dataSource.query<[{ server_version: string }]>('SHOW server_version');

  const repository = new PostgresLedgerRepository(dataSource);
  const payloads = new PostgresPayloadStore(dataSource);
  const append = new AppendEntriesHandler(repository, payloads, { now: () => new Date() });
  const auditBundle = new GetAuditBundleHandler(repository, payloads);
  const signer = Ed25519NoteSigner.generate(ORIGIN);
  const publish = new PublishCheckpointHandler(repository, [signer], { now: () => new Date() }, ORIGIN);
  const policy = { origin: ORIGIN, logKeys: [signer.verifier] };

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${version}`;
  console.log(
    `ledger benchmark: sizes ${SIZES.join(', ')}, ${LOAD === 'copy' ? 'bulk-loaded with COPY' : `batches of ${BATCH}`}, ${SAMPLES} proofs per size`,
  );
  console.log(`machine: ${machine}; database ${new URL(url).pathname.slice(1)}`);
  console.log(
    `load average at start: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );

  const leafHashes: Buffer[] = [];
  let appendedMs = 0;
  const sizes = REUSE ? [await repository.treeSize()] : SIZES;
  for (const size of sizes) {
    // (a) append up to this size
    const from = REUSE ? size : leafHashes.length;
    const start = performance.now();
    if (REUSE) {
      // Measured before, when it was loaded.
    } else if (LOAD === 'copy') await bulkLoad(dataSource, from, size, leafHashes);
    else {
      for (let i = from; i < size; i += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, size - i) }, (_, k) => event(i + k));
        const result = await append.execute(new AppendEntriesCommand(batch));
        for (const outcome of result.outcomes) leafHashes.push(outcome.leafHash);
      }
    }
    const elapsed = performance.now() - start;
    appendedMs += elapsed;
    const published = await timeEach(REUSE ? 0 : 1, () => publish.execute(new PublishCheckpointCommand()));
    const checkpoint = await repository.latestCheckpoint();
    if (checkpoint === undefined || checkpoint.treeSize !== size) throw new Error('checkpoint missing');
    const root = checkpoint.rootHash;
    const rng = random(size);
    const indexes = Array.from({ length: SAMPLES }, () => Math.floor(rng() * size));
    const fromSizes = Array.from({ length: SAMPLES }, () => 1 + Math.floor(rng() * (size - 1)));
    if (REUSE) {
      const rows = await dataSource.query<{ index: string; leaf_hash: Buffer }[]>(
        'SELECT index, leaf_hash FROM ledger_entries WHERE index = ANY($1::bigint[])',
        [indexes],
      );
      for (const r of rows) leafHashes[Number(r.index)] = r.leaf_hash;
    }

    console.log(`tree size ${size.toLocaleString('en')} (load average ${loadavg()[0]?.toFixed(2)})`);
    if (!REUSE)
      console.log(
        `  ${LOAD === 'copy' ? 'bulk-load (COPY + set-based subtrees)' : 'append'} ${(size - from).toLocaleString('en')} entries: ${((size - from) / (elapsed / 1_000)).toFixed(0)} entries/s ` +
          `(${(elapsed / 1_000).toFixed(1)} s; overall ${(size / (appendedMs / 1_000)).toFixed(0)} entries/s)`,
      );
    const [{ bytes }] = await dataSource.query<[{ bytes: string }]>(
      `SELECT pg_total_relation_size('ledger_entries') + pg_total_relation_size('ledger_nodes')
              + pg_total_relation_size('ledger_payloads') AS bytes`,
    );
    console.log(
      `  storage: ${(Number(bytes) / size).toFixed(0)} bytes per entry (entries, nodes, payloads, indexes)`,
    );

    // (b) from PostgreSQL
    if (!REUSE) console.log(row('publish checkpoint (root + consistency + sign)', published));
    console.log(row('root from PostgreSQL', await timeEach(200, () => repository.rootAt(size))));
    const inclusion: Buffer[][] = [];
    console.log(
      row(
        'inclusion proof from PostgreSQL',
        await timeEach(SAMPLES, async (i) => {
          inclusion[i] = await repository.inclusionProof(indexes[i] ?? 0, size);
        }),
      ),
    );
    const consistency: Buffer[][] = [];
    const fromRoots = await Promise.all(fromSizes.map((m) => repository.rootAt(m)));
    console.log(
      row(
        'consistency proof from PostgreSQL',
        await timeEach(SAMPLES, async (i) => {
          consistency[i] = await repository.consistencyProof(fromSizes[i] ?? 1, size);
        }),
      ),
    );

    // (c) verification
    const inclusionCheck = await timeEach(SAMPLES, (i) => {
      const index = indexes[i] ?? 0;
      if (
        !verifyInclusion(index, size, leafHashes[index] ?? Buffer.alloc(0), inclusion[i] ?? [], root).valid
      ) {
        throw new Error(`inclusion proof ${index} failed`);
      }
    });
    console.log(row('verify inclusion proof', inclusionCheck));
    const consistencyCheck = await timeEach(SAMPLES, (i) => {
      const m = fromSizes[i] ?? 1;
      if (!verifyConsistency(m, size, fromRoots[i] ?? Buffer.alloc(0), root, consistency[i] ?? []).valid) {
        throw new Error(`consistency proof ${m} failed`);
      }
    });
    console.log(row('verify consistency proof', consistencyCheck));
    // The loading run signed with a key of its own, which a later run does not have.
    if (REUSE) continue;
    console.log(
      row(
        'verify checkpoint note (parse + ed25519)',
        await timeEach(SAMPLES, () => {
          if (verifyCheckpointNote(checkpoint.note, policy).checkpoint === undefined)
            throw new Error('bad note');
        }),
      ),
    );

    // (d) baseline: recompute from every leaf hash, in memory, no database at all
    const hashes = leafHashes.slice(0, size);
    const rootBaseline = await timeEach(BASELINE_SAMPLES, () => referenceRoot(hashes));
    if (!referenceRoot(hashes).equals(root)) throw new Error(`the stored root at ${size} is not RFC 6962's`);
    console.log(row('baseline: naive root (in memory)', rootBaseline));
    console.log(
      row(
        'baseline: naive inclusion proof (in memory)',
        await timeEach(BASELINE_SAMPLES, (i) => referenceInclusionProof(hashes, indexes[i] ?? 0, size)),
      ),
    );
    console.log(
      row(
        'baseline: naive consistency proof (in memory)',
        await timeEach(BASELINE_SAMPLES, (i) => referenceConsistencyProof(hashes, fromSizes[i] ?? 1, size)),
      ),
    );
    if (LOAD === 'copy') {
      console.log('');
      continue;
    }

    const AUDITED = Math.min(10_000, size);
    let bundle: Awaited<ReturnType<GetAuditBundleHandler['execute']>> | undefined;
    const exported = await timeEach(3, async () => {
      bundle = await auditBundle.execute(
        new GetAuditBundleQuery(size - AUDITED, size, [], EVERY_ORGANISATION),
      );
    });
    console.log(row(`export audit bundle of ${AUDITED.toLocaleString('en')} entries`, exported));
    const audited = await timeEach(3, () => {
      if (bundle === undefined || !auditLedger({ ...bundle, policy }).ok) throw new Error('audit failed');
    });
    console.log(row(`offline audit of those ${AUDITED.toLocaleString('en')} entries`, audited));
    console.log('');
  }
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
