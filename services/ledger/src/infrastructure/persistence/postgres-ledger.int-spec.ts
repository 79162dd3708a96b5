import {
  auditLedger,
  Ed25519NoteSigner,
  InMemoryMerkleTree,
  LedgerError,
  verifyConsistency,
  verifyInclusion,
  type AuditReport,
  type CheckpointTrustPolicy,
} from '@rf/platform-ledger-proof';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { testDatabaseUrl } from '@rf/platform-testing';
import { DataSource } from 'typeorm';
import {
  AppendEntriesCommand,
  type EvidenceEvent,
} from '../../application/commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from '../../application/commands/append-entries/append-entries.handler';
import { PublishCheckpointCommand } from '../../application/commands/publish-checkpoint/publish-checkpoint.command';
import { PublishCheckpointHandler } from '../../application/commands/publish-checkpoint/publish-checkpoint.handler';
import { RedactPayloadCommand } from '../../application/commands/redact-payload/redact-payload.command';
import { RedactPayloadHandler } from '../../application/commands/redact-payload/redact-payload.handler';
import type { EntryReader } from '../../application/entry-selector';
import type { Clock } from '../../application/ports/clock.port';
import { EVERY_ORGANISATION, type StoredCheckpoint } from '../../application/ports/ledger.repository.port';
import { GetAuditBundleHandler } from '../../application/queries/get-audit-bundle/get-audit-bundle.handler';
import { GetAuditBundleQuery } from '../../application/queries/get-audit-bundle/get-audit-bundle.query';
import { GetConsistencyProofHandler } from '../../application/queries/get-consistency-proof/get-consistency-proof.handler';
import { GetConsistencyProofQuery } from '../../application/queries/get-consistency-proof/get-consistency-proof.query';
import { GetEntryHandler } from '../../application/queries/get-entry/get-entry.handler';
import { GetEntryQuery } from '../../application/queries/get-entry/get-entry.query';
import { GetInclusionProofHandler } from '../../application/queries/get-inclusion-proof/get-inclusion-proof.handler';
import { GetInclusionProofQuery } from '../../application/queries/get-inclusion-proof/get-inclusion-proof.query';
import { describeLedgerRepositoryContract } from './jest/ledger-repository.contract';
import { LEDGER_MIGRATIONS } from './ledger-migrations';
import { PostgresLedgerRepository } from './postgres-ledger.repository';
import { PostgresPayloadStore } from './postgres-payload.store';

const url = testDatabaseUrl('ledger');
const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const clock: Clock = { now: () => new Date() };
const logKey = Ed25519NoteSigner.generate(ORIGIN);
const policy: CheckpointTrustPolicy = { origin: ORIGIN, logKeys: [logKey.verifier] };

async function resetSchema(): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url });
  await admin.initialize();
  await admin.query(
    'DROP SCHEMA IF EXISTS ledger_backup CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
  );
  await admin.destroy();
}

async function connect(poolSize?: number): Promise<DataSource> {
  const dataSource = createDataSource({
    url,
    service: 'ledger',
    migrations: [...LEDGER_MIGRATIONS],
    ...(poolSize ? { poolSize } : {}),
  });
  await dataSource.initialize();
  await runMigrations(dataSource);
  return dataSource;
}

const event = (i: number, series = 'a'): EvidenceEvent => ({
  eventId: `${series}-${String(i).padStart(8, '0')}`,
  type: 'io.resiliencefabric.remediation.wave-completed.v1',
  subject: `remediation/${i % 97}`,
  time: new Date(Date.UTC(2025, 10, 22, 8, 0, i % 60)).toISOString(),
  payload: { wave: i, assets: [`asset-${i}`, `asset-${i + 1}`], ratio: i / 3, series },
  organisation: null,
});

/** Reads of the log's own work: every entry. */
const ALL: EntryReader = { scope: EVERY_ORGANISATION };

const range = (from: number, to: number, series = 'a'): EvidenceEvent[] =>
  Array.from({ length: to - from }, (_, i) => event(from + i, series));

function handlers(dataSource: DataSource) {
  const repository = new PostgresLedgerRepository(dataSource);
  const payloads = new PostgresPayloadStore(dataSource);
  return {
    repository,
    payloads,
    append: new AppendEntriesHandler(repository, payloads, clock),
    publish: new PublishCheckpointHandler(repository, [logKey], clock, ORIGIN),
    inclusion: new GetInclusionProofHandler(repository),
    consistency: new GetConsistencyProofHandler(repository),
    entry: new GetEntryHandler(repository, payloads),
    redact: new RedactPayloadHandler(repository, payloads, clock),
    bundle: new GetAuditBundleHandler(repository, payloads),
  };
}

async function appendInBatches(append: AppendEntriesHandler, events: readonly EvidenceEvent[], size: number) {
  for (let i = 0; i < events.length; i += size)
    await append.execute(new AppendEntriesCommand(events.slice(i, i + size)));
}

async function publishNow(publish: PublishCheckpointHandler): Promise<StoredCheckpoint> {
  const { checkpoint } = await publish.execute(new PublishCheckpointCommand());
  if (checkpoint === undefined) throw new Error('no checkpoint');
  return checkpoint;
}

/** What an auditor holding `trusted` checkpoints concludes from what the log serves now. */
async function audit(
  h: ReturnType<typeof handlers>,
  trusted: readonly StoredCheckpoint[],
): Promise<AuditReport> {
  const bundle = await h.bundle.execute(
    new GetAuditBundleQuery(
      0,
      1_000_000,
      trusted.map((c) => c.treeSize),
      EVERY_ORGANISATION,
    ),
  );
  return auditLedger({
    ...bundle,
    policy,
    trustedCheckpoints: trusted.map((c) => c.note),
    completeLog: true,
  });
}

const errorCodes = (report: AuditReport) =>
  report.findings.filter((f) => f.severity === 'error').map((f) => f.code);

describeLedgerRepositoryContract('PostgresLedgerRepository', async () => {
  await resetSchema();
  const dataSource = await connect();
  return { repository: new PostgresLedgerRepository(dataSource), close: () => dataSource.destroy() };
});

describe('the ledger on PostgreSQL', () => {
  jest.setTimeout(180_000);

  describe('with 10,000 entries', () => {
    let dataSource: DataSource;
    let h: ReturnType<typeof handlers>;
    const events = range(0, 10_000);
    const checkpoints: StoredCheckpoint[] = [];
    let reference: InMemoryMerkleTree;

    beforeAll(async () => {
      await resetSchema();
      dataSource = await connect();
      h = handlers(dataSource);
    });

    afterAll(async () => {
      await dataSource.destroy();
    });

    it('appends them in batches with roots equal to an in-memory reference', async () => {
      for (const [from, to] of [
        [0, 1],
        [1, 3],
        [3, 1_000],
        [1_000, 4_096],
        [4_096, 7_777],
        [7_777, 10_000],
      ] as const) {
        await appendInBatches(h.append, events.slice(from, to), 500);
        checkpoints.push(await publishNow(h.publish));
      }
      const stored = await h.repository.entries(0, 10_000, EVERY_ORGANISATION);
      expect(stored.map((e) => e.index)).toEqual(events.map((_, i) => i));
      expect(stored.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      reference = InMemoryMerkleTree.fromLeaves(stored.map((e) => e.leaf));
      expect(checkpoints.map((c) => c.treeSize)).toEqual([1, 3, 1_000, 4_096, 7_777, 10_000]);
      for (const checkpoint of checkpoints) {
        expect(checkpoint.rootHash.equals(reference.root(checkpoint.treeSize))).toBe(true);
      }
      for (const size of [2, 4_095, 4_097, 8_191, 8_192, 9_999]) {
        expect((await h.repository.rootAt(size)).equals(reference.root(size))).toBe(true);
      }
    });

    it('serves inclusion and consistency proofs that verify', async () => {
      for (let i = 0; i < 300; i += 1) {
        const index = (i * 7_919) % 10_000;
        const view = await h.inclusion.execute(new GetInclusionProofQuery({ index }, ALL));
        expect(view.treeSize).toBe(10_000);
        expect(view.proof.map((p) => p.toString('hex'))).toEqual(
          reference.inclusionProof(index).map((p) => p.toString('hex')),
        );
        expect(verifyInclusion(index, 10_000, view.leafHash, view.proof, reference.root()).valid).toBe(true);
      }
      for (let i = 1; i < checkpoints.length; i += 1) {
        const [from, to] = [checkpoints[i - 1]!, checkpoints[i]!];
        const view = await h.consistency.execute(new GetConsistencyProofQuery(from.treeSize, to.treeSize));
        expect(
          verifyConsistency(from.treeSize, to.treeSize, from.rootHash, to.rootHash, view.proof).valid,
        ).toBe(true);
      }
      const report = await audit(h, checkpoints.slice(0, 3));
      expect(report).toMatchObject({ ok: true, inclusionProofsVerified: 10_000, entriesReplayed: 10_000 });
    });

    it('stores one interior node per complete perfect subtree, and no more', async () => {
      const [{ count }] = await dataSource.query<[{ count: string }]>('SELECT count(*) FROM ledger_nodes');
      let expected = 0;
      for (let level = 1; 2 ** level <= 10_000; level += 1) expected += Math.floor(10_000 / 2 ** level);
      expect(Number(count)).toBe(expected);
    });

    it('redacts payloads while every proof still verifies', async () => {
      const rootBefore = await h.repository.rootAt(10_000);
      for (const index of [0, 4_095, 9_999]) {
        const result = await h.redact.execute(new RedactPayloadCommand({ index }, 'erasure request'));
        expect(result.status).toBe('redacted');
        const view = await h.entry.execute(new GetEntryQuery({ index }, ALL));
        expect(view).toMatchObject({
          payloadState: 'redacted',
          payload: null,
          redactionReason: 'erasure request',
        });
      }
      expect((await h.entry.execute(new GetEntryQuery({ index: 1 }, ALL))).payloadState).toBe('present');
      expect((await h.repository.rootAt(10_000)).equals(rootBefore)).toBe(true);
      // Redelivery cannot bring a redacted payload back.
      await h.append.execute(new AppendEntriesCommand([events[0]!]));
      expect((await h.entry.execute(new GetEntryQuery({ index: 0 }, ALL))).payloadState).toBe('redacted');
      const report = await audit(h, checkpoints.slice(3, 4));
      expect(report.ok).toBe(true);
      expect(report.findings.map((f) => [f.code, f.entryIndex])).toEqual([
        ['PAYLOAD_REDACTED', 0],
        ['PAYLOAD_REDACTED', 4_095],
        ['PAYLOAD_REDACTED', 9_999],
      ]);
    });

    it('refuses to change or remove what was appended', async () => {
      await expect(
        dataSource.query(`UPDATE ledger_entries SET payload_ref = 'x' WHERE index = 5`),
      ).rejects.toThrow('append-only');
      await expect(dataSource.query('DELETE FROM ledger_nodes WHERE level = 1 AND idx = 0')).rejects.toThrow(
        'append-only',
      );
      // CASCADE, or the foreign key of the co-signatures would refuse it before the trigger could.
      await expect(dataSource.query('TRUNCATE ledger_checkpoints CASCADE')).rejects.toThrow('append-only');
    });
  });

  describe('with concurrent appenders', () => {
    const APPENDERS = 4;
    const PER_APPENDER = 600;
    const BATCH = 40;
    const pools: DataSource[] = [];

    beforeAll(async () => {
      await resetSchema();
      for (let i = 0; i < APPENDERS; i += 1) pools.push(await connect(3));
    });

    afterAll(async () => {
      await Promise.all(pools.map((p) => p.destroy()));
    });

    it('keeps the log gap-free, each event once, and every batch contiguous', async () => {
      const results = await Promise.all(
        pools.map(async (pool, a) => {
          const { append } = handlers(pool);
          const mine = range(a * PER_APPENDER, (a + 1) * PER_APPENDER);
          const outcomes = [];
          for (let i = 0; i < mine.length; i += BATCH) {
            // Every batch also redelivers an event another appender owns.
            const other = event(((a + 1) % APPENDERS) * PER_APPENDER + i);
            const result = await append.execute(
              new AppendEntriesCommand([...mine.slice(i, i + BATCH), other]),
            );
            const appended = result.outcomes.filter((o) => o.status === 'appended').map((o) => o.index);
            expect(appended).toEqual(appended.map((_, k) => (appended[0] ?? 0) + k));
            outcomes.push(...result.outcomes);
          }
          return outcomes;
        }),
      );
      const total = APPENDERS * PER_APPENDER;
      const h = handlers(pools[0]!);
      expect(await h.repository.treeSize()).toBe(total);
      const entries = await h.repository.entries(0, total + 10, EVERY_ORGANISATION);
      expect(entries.map((e) => e.index)).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(new Set(entries.map((e) => e.eventId)).size).toBe(total);
      const byEvent = new Map(entries.map((e) => [e.eventId, e.index]));
      for (const outcome of results.flat()) expect(byEvent.get(outcome.eventId)).toBe(outcome.index);

      const reference = InMemoryMerkleTree.fromLeaves(entries.map((e) => e.leaf));
      for (const size of [1, 777, 1_024, total]) {
        expect((await h.repository.rootAt(size)).equals(reference.root(size))).toBe(true);
      }
      const checkpoint = await publishNow(h.publish);
      expect(checkpoint.rootHash.equals(reference.root())).toBe(true);
      expect((await audit(h, [])).ok).toBe(true);
    });
  });

  describe('restored from an old backup', () => {
    let dataSource: DataSource;
    let h: ReturnType<typeof handlers>;
    const TABLES = ['ledger_head', 'ledger_entries', 'ledger_nodes', 'ledger_payloads', 'ledger_checkpoints'];

    async function backup(): Promise<void> {
      await dataSource.query(
        ['DROP SCHEMA IF EXISTS ledger_backup CASCADE', 'CREATE SCHEMA ledger_backup']
          .concat(TABLES.map((t) => `CREATE TABLE ledger_backup.${t} AS TABLE ${t}`))
          .join('; '),
      );
    }

    /** What an operator restoring a backup does; the append-only triggers do not stop the table owner. */
    async function restore(tables: readonly string[]): Promise<void> {
      await dataSource.transaction(async (manager) => {
        for (const t of tables) {
          await manager.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
          await manager.query(`DELETE FROM ${t}`);
          await manager.query(`INSERT INTO ${t} SELECT * FROM ledger_backup.${t}`);
          await manager.query(`ALTER TABLE ${t} ENABLE TRIGGER USER`);
        }
      });
    }

    let older: StoredCheckpoint;
    let newer: StoredCheckpoint;

    beforeAll(async () => {
      await resetSchema();
      dataSource = await connect();
      h = handlers(dataSource);
      await appendInBatches(h.append, range(0, 300), 100);
      older = await publishNow(h.publish);
      await backup();
      await appendInBatches(h.append, range(300, 500), 100);
      // The auditor saved both checkpoints when they were published.
      newer = await publishNow(h.publish);
      expect(errorCodes(await audit(h, [older, newer]))).toEqual([]);
    });

    afterAll(async () => {
      await dataSource.destroy();
    });

    it('is caught by the service itself when only the entries went back', async () => {
      await restore(TABLES.filter((t) => t !== 'ledger_checkpoints'));
      const publish = h.publish.execute(new PublishCheckpointCommand());
      await expect(publish).rejects.toMatchObject({ code: 'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT' });
      await appendInBatches(h.append, range(300, 520, 'b'), 100);
      const again = h.publish.execute(new PublishCheckpointCommand());
      await expect(again).rejects.toBeInstanceOf(LedgerError);
      await expect(again).rejects.toMatchObject({ code: 'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT' });
    });

    it('is caught by an auditor holding a saved checkpoint when everything went back', async () => {
      await restore(TABLES);
      const rewound = await audit(h, [newer]);
      expect(rewound.ok).toBe(false);
      expect(errorCodes(rewound)).toEqual(
        expect.arrayContaining(['LOG_ROLLBACK', 'CONSISTENCY_PROOF_MISSING']),
      );
      expect(rewound.head?.size).toBe(300);

      // The service cannot tell: it signs the regrown log, which an auditor rejects as a fork.
      await appendInBatches(h.append, range(300, 550, 'c'), 100);
      const regrown = await publishNow(h.publish);
      expect(regrown.treeSize).toBe(550);
      const forked = await audit(h, [older, newer]);
      expect(forked.ok).toBe(false);
      expect(forked.findings).toContainEqual(
        expect.objectContaining({ code: 'LOG_FORK', checkpoint: 'trusted[1]', treeSize: 500 }),
      );
      // Entries appended before the backup still prove against the saved checkpoint that covers them.
      expect(errorCodes(await audit(h, [older]))).toEqual([]);
    });
  });
});
