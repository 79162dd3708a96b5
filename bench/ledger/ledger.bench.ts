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
 * Run (the local stack must be up; it resets the rf_ledger_test database):
 *   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/ledger/ledger.bench.ts
 * Sizes and volume: RF_BENCH_LEDGER_SIZES (default 100000), RF_BENCH_LEDGER_BATCH (1000),
 * RF_BENCH_LEDGER_SAMPLES (1000 proofs per size), RF_BENCH_LEDGER_BASELINE_SAMPLES (10).
 */
import { processEnvironment } from '@rf/platform-config';
import {
  auditLedger,
  Ed25519NoteSigner,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  verifyCheckpointNote,
  verifyConsistency,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl } from '@rf/platform-testing';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import {
  AppendEntriesCommand,
  type EvidenceEvent,
} from '../../services/ledger/src/application/commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from '../../services/ledger/src/application/commands/append-entries/append-entries.handler';
import { PublishCheckpointCommand } from '../../services/ledger/src/application/commands/publish-checkpoint/publish-checkpoint.command';
import { PublishCheckpointHandler } from '../../services/ledger/src/application/commands/publish-checkpoint/publish-checkpoint.handler';
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
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(
    'DROP SCHEMA IF EXISTS ledger_backup CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
  );
  await admin.destroy();
}

async function main(): Promise<void> {
  const url = testDatabaseUrl('ledger');
  await resetDatabase(url);
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
  console.log(`ledger benchmark: sizes ${SIZES.join(', ')}, batches of ${BATCH}, ${SAMPLES} proofs per size`);
  console.log(`machine: ${machine}\n`);

  const leafHashes: Buffer[] = [];
  let appendedMs = 0;
  for (const size of SIZES) {
    // (a) append up to this size
    const from = leafHashes.length;
    const start = performance.now();
    for (let i = from; i < size; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, size - i) }, (_, k) => event(i + k));
      const result = await append.execute(new AppendEntriesCommand(batch));
      for (const outcome of result.outcomes) leafHashes.push(outcome.leafHash);
    }
    const elapsed = performance.now() - start;
    appendedMs += elapsed;
    const published = await timeEach(1, () => publish.execute(new PublishCheckpointCommand()));
    const checkpoint = await repository.latestCheckpoint();
    if (checkpoint === undefined || checkpoint.treeSize !== size) throw new Error('checkpoint missing');
    const root = checkpoint.rootHash;
    const rng = random(size);
    const indexes = Array.from({ length: SAMPLES }, () => Math.floor(rng() * size));
    const fromSizes = Array.from({ length: SAMPLES }, () => 1 + Math.floor(rng() * (size - 1)));

    console.log(`tree size ${size.toLocaleString('en')}`);
    console.log(
      `  append ${(size - from).toLocaleString('en')} entries: ${((size - from) / (elapsed / 1_000)).toFixed(0)} entries/s ` +
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
    console.log(row('publish checkpoint (root + consistency + sign)', published));
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
    console.log(
      row(
        'verify checkpoint note (parse + ed25519)',
        await timeEach(SAMPLES, () => {
          if (verifyCheckpointNote(checkpoint.note, policy).checkpoint === undefined)
            throw new Error('bad note');
        }),
      ),
    );

    const AUDITED = Math.min(10_000, size);
    let bundle: Awaited<ReturnType<GetAuditBundleHandler['execute']>> | undefined;
    const exported = await timeEach(3, async () => {
      bundle = await auditBundle.execute(new GetAuditBundleQuery(size - AUDITED, size));
    });
    console.log(row(`export audit bundle of ${AUDITED.toLocaleString('en')} entries`, exported));
    const audited = await timeEach(3, () => {
      if (bundle === undefined || !auditLedger({ ...bundle, policy }).ok) throw new Error('audit failed');
    });
    console.log(row(`offline audit of those ${AUDITED.toLocaleString('en')} entries`, audited));

    // (d) baseline: recompute from every leaf hash, in memory, no database at all
    const hashes = leafHashes.slice(0, size);
    const rootBaseline = await timeEach(BASELINE_SAMPLES, () => referenceRoot(hashes));
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
    console.log('');
  }
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
