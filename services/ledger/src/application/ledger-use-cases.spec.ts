import {
  auditLedger,
  decodeAuditBundle,
  decodeLeaf,
  Ed25519NoteSigner,
  encodeAuditBundle,
  encodeLeaf,
  InMemoryMerkleTree,
  LedgerError,
  openNote,
  parseCheckpoint,
  parseSignedNote,
  payloadHashOf,
  verifyConsistency,
  verifyInclusion,
  type JsonValue,
} from '@rf/platform-ledger-proof';
import { InMemoryLedgerRepository } from '../infrastructure/persistence/in-memory-ledger.repository';
import { InMemoryPayloadStore } from '../infrastructure/persistence/in-memory-payload.store';
import { AppendEntriesCommand, type EvidenceEvent } from './commands/append-entries/append-entries.command';
import { AppendEntriesHandler } from './commands/append-entries/append-entries.handler';
import { PublishCheckpointCommand } from './commands/publish-checkpoint/publish-checkpoint.command';
import { PublishCheckpointHandler } from './commands/publish-checkpoint/publish-checkpoint.handler';
import { RedactPayloadCommand } from './commands/redact-payload/redact-payload.command';
import { RedactPayloadHandler } from './commands/redact-payload/redact-payload.handler';
import type { EntryReader } from './entry-selector';
import type { CheckpointSigner } from './ports/checkpoint-signer.port';
import type { Clock } from './ports/clock.port';
import { EVERY_ORGANISATION, type LedgerRepository } from './ports/ledger.repository.port';
import type { PayloadStore } from './ports/payload-store.port';
import { GetAuditBundleHandler } from './queries/get-audit-bundle/get-audit-bundle.handler';
import { GetAuditBundleQuery } from './queries/get-audit-bundle/get-audit-bundle.query';
import { GetConsistencyProofHandler } from './queries/get-consistency-proof/get-consistency-proof.handler';
import { GetConsistencyProofQuery } from './queries/get-consistency-proof/get-consistency-proof.query';
import { GetEntryHandler } from './queries/get-entry/get-entry.handler';
import { GetEntryQuery } from './queries/get-entry/get-entry.query';
import { GetInclusionProofHandler } from './queries/get-inclusion-proof/get-inclusion-proof.handler';
import { GetInclusionProofQuery } from './queries/get-inclusion-proof/get-inclusion-proof.query';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const NOW = new Date('2025-11-22T12:00:00Z');
const clock: Clock = { now: () => NOW };

/** A stand-in that fails on any call it was not given. */
function strict<T extends object>(stubs: Partial<T>): T {
  return new Proxy(stubs as T, {
    get(target, property) {
      if (property === 'then') return undefined;
      const value: unknown = Reflect.get(target, property);
      if (value === undefined) throw new Error(`unexpected call: ${String(property)}`);
      return value;
    },
  });
}

const event = (
  i: number,
  payload: JsonValue = { assetId: `asset-${i}`, drift: i % 3 },
  organisation: string | null = null,
): EvidenceEvent => ({
  eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  type: 'io.resiliencefabric.drift.detected.v1',
  subject: `asset-${i}`,
  time: '2025-11-22T08:15:41Z',
  payload,
  organisation,
});

/** Reads of the log's own work: every entry. */
const ALL: EntryReader = { scope: EVERY_ORGANISATION };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error: unknown) {
    return error instanceof LedgerError ? error.code : String(error);
  }
}

describe('ledger use cases', () => {
  const logKey = Ed25519NoteSigner.generate(ORIGIN);
  let repository: InMemoryLedgerRepository;
  let payloads: InMemoryPayloadStore;
  let append: AppendEntriesHandler;
  let publish: PublishCheckpointHandler;

  beforeEach(() => {
    repository = new InMemoryLedgerRepository();
    payloads = new InMemoryPayloadStore();
    append = new AppendEntriesHandler(repository, payloads, clock);
    publish = new PublishCheckpointHandler(repository, [logKey], clock, ORIGIN);
  });

  describe('AppendEntries', () => {
    it('appends events in order with their payloads, once each', async () => {
      const result = await append.execute(new AppendEntriesCommand([event(0), event(1), event(2)]));
      expect(result.outcomes.map((o) => [o.index, o.status])).toEqual([
        [0, 'appended'],
        [1, 'appended'],
        [2, 'appended'],
      ]);
      expect((await payloads.get(`payloads/${event(1).eventId}`))?.content).toEqual(event(1).payload);
      const redelivered = await append.execute(new AppendEntriesCommand([event(1), event(3)]));
      expect(redelivered.outcomes.map((o) => [o.index, o.status])).toEqual([
        [1, 'duplicate'],
        [3, 'appended'],
      ]);
      const entry = await repository.entryAt(0, EVERY_ORGANISATION);
      expect(entry?.appendedAt).toEqual(NOW);
    });

    it('reports an event id reused for a different event and keeps the original', async () => {
      await append.execute(new AppendEntriesCommand([event(0)]));
      const result = await append.execute(new AppendEntriesCommand([event(0, { forged: true })]));
      expect(result.outcomes[0]?.status).toBe('conflict');
      expect((await payloads.get(`payloads/${event(0).eventId}`))?.content).toEqual(event(0).payload);
    });

    it('writes nothing when any event in the batch is malformed', async () => {
      const noWrites = new AppendEntriesHandler(
        strict<LedgerRepository>({}),
        strict<PayloadStore>({}),
        clock,
      );
      const bad = { ...event(1), time: 'not a time' };
      expect(await codeOf(noWrites.execute(new AppendEntriesCommand([event(0), bad])))).toBe(
        'LEDGER.MALFORMED_LEAF',
      );
      const nan = event(2, { score: Number.NaN });
      expect(await codeOf(noWrites.execute(new AppendEntriesCommand([nan])))).toBe(
        'LEDGER.NOT_CANONICAL_JSON',
      );
    });

    it('answers an empty batch with the current size', async () => {
      await append.execute(new AppendEntriesCommand([event(0)]));
      expect(await append.execute(new AppendEntriesCommand([]))).toEqual({ outcomes: [], treeSize: 1 });
    });
  });

  describe('PublishCheckpoint', () => {
    it('publishes nothing for an empty log', async () => {
      expect(await publish.execute(new PublishCheckpointCommand())).toEqual({
        published: false,
        checkpoint: undefined,
      });
    });

    it('signs a C2SP checkpoint of the current tree, and only when it grew', async () => {
      await append.execute(new AppendEntriesCommand([event(0), event(1), event(2)]));
      const first = await publish.execute(new PublishCheckpointCommand());
      expect(first.published).toBe(true);
      const note = parseSignedNote(first.checkpoint!.note);
      expect(openNote(note, [logKey.verifier]).verifiedBy).toEqual([logKey.verifier]);
      const body = parseCheckpoint(note.text);
      expect(body).toEqual({ origin: ORIGIN, size: 3, rootHash: await repository.rootAt(3), extensions: [] });
      expect(first.checkpoint!.signedAt).toEqual(NOW);

      const unchanged = await publish.execute(new PublishCheckpointCommand());
      expect(unchanged).toEqual({ published: false, checkpoint: first.checkpoint });

      await append.execute(new AppendEntriesCommand([event(3)]));
      expect((await publish.execute(new PublishCheckpointCommand(2))).published).toBe(false);
      const second = await publish.execute(new PublishCheckpointCommand());
      expect(second.checkpoint?.treeSize).toBe(4);
    });

    it('adds co-signatures, from signers that may sign asynchronously', async () => {
      const witness = Ed25519NoteSigner.generate('witness.example/w1');
      const remote: CheckpointSigner = {
        keyName: witness.keyName,
        keyId: witness.keyId,
        sign: (message) => Promise.resolve(witness.sign(message)),
      };
      const cosigning = new PublishCheckpointHandler(repository, [logKey, remote], clock, ORIGIN);
      await append.execute(new AppendEntriesCommand([event(0)]));
      const { checkpoint } = await cosigning.execute(new PublishCheckpointCommand());
      const opened = openNote(parseSignedNote(checkpoint!.note), [logKey.verifier, witness.verifier]);
      expect(opened.verifiedBy).toEqual([logKey.verifier, witness.verifier]);
    });

    it('refuses to sign a log that lost entries since its last checkpoint', async () => {
      const latest = { treeSize: 10, rootHash: Buffer.alloc(32), note: 'n\n', signedAt: NOW };
      const shrunk = strict<LedgerRepository>({
        treeSize: () => Promise.resolve(6),
        latestCheckpoint: () => Promise.resolve(latest),
        rootAt: () => Promise.resolve(Buffer.alloc(32, 1)),
      });
      const handler = new PublishCheckpointHandler(shrunk, [logKey], clock, ORIGIN);
      expect(await codeOf(handler.execute(new PublishCheckpointCommand()))).toBe(
        'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT',
      );
    });

    it('refuses to sign a tree that does not extend the last checkpoint', async () => {
      const tree = InMemoryMerkleTree.fromLeaves(['a', 'b', 'c', 'd'].map((x) => Buffer.from(x)));
      const other = InMemoryMerkleTree.fromLeaves(['a', 'X', 'c', 'd'].map((x) => Buffer.from(x)));
      const latest = { treeSize: 2, rootHash: other.root(2), note: 'n\n', signedAt: NOW };
      const rewritten = strict<LedgerRepository>({
        treeSize: () => Promise.resolve(4),
        latestCheckpoint: () => Promise.resolve(latest),
        rootAt: (size: number) => Promise.resolve(tree.root(size)),
        consistencyProof: (from: number, to: number) => Promise.resolve(tree.consistencyProof(from, to)),
      });
      const handler = new PublishCheckpointHandler(rewritten, [logKey], clock, ORIGIN);
      expect(await codeOf(handler.execute(new PublishCheckpointCommand()))).toBe(
        'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT',
      );
    });
  });

  describe('proof queries', () => {
    it('needs a checkpoint before it proves anything', async () => {
      await append.execute(new AppendEntriesCommand([event(0)]));
      const inclusion = new GetInclusionProofHandler(repository);
      expect(await codeOf(inclusion.execute(new GetInclusionProofQuery({ index: 0 }, ALL)))).toBe(
        'LEDGER.NO_CHECKPOINT',
      );
      const consistency = new GetConsistencyProofHandler(repository);
      expect(await codeOf(consistency.execute(new GetConsistencyProofQuery(0)))).toBe('LEDGER.NO_CHECKPOINT');
    });

    it('proves inclusion against the latest checkpoint, by event id or index', async () => {
      await append.execute(new AppendEntriesCommand(Array.from({ length: 11 }, (_, i) => event(i))));
      const { checkpoint } = await publish.execute(new PublishCheckpointCommand());
      await append.execute(new AppendEntriesCommand([event(11)]));
      const inclusion = new GetInclusionProofHandler(repository);

      const view = await inclusion.execute(new GetInclusionProofQuery({ eventId: event(7).eventId }, ALL));
      expect(view).toMatchObject({ index: 7, treeSize: 11, checkpoint: checkpoint!.note });
      const root = parseCheckpoint(parseSignedNote(view.checkpoint!).text).rootHash;
      expect(verifyInclusion(7, 11, view.leafHash, view.proof, root).valid).toBe(true);

      const unsigned = await inclusion.execute(new GetInclusionProofQuery({ index: 11 }, ALL, 12));
      expect(unsigned.checkpoint).toBeUndefined();
      expect(
        verifyInclusion(11, 12, unsigned.leafHash, unsigned.proof, await repository.rootAt(12)).valid,
      ).toBe(true);

      const pending = inclusion.execute(new GetInclusionProofQuery({ index: 11 }, ALL));
      await expect(pending).rejects.toMatchObject({
        code: 'LEDGER.ENTRY_NOT_YET_CHECKPOINTED',
        retriable: true,
      });
      expect(await codeOf(inclusion.execute(new GetInclusionProofQuery({ eventId: 'nope' }, ALL)))).toBe(
        'LEDGER.ENTRY_NOT_FOUND',
      );
      expect(await codeOf(inclusion.execute(new GetInclusionProofQuery({ index: 0 }, ALL, 13)))).toBe(
        'LEDGER.INVALID_TREE_RANGE',
      );
    });

    it('proves consistency between checkpoints', async () => {
      await append.execute(new AppendEntriesCommand(Array.from({ length: 5 }, (_, i) => event(i))));
      const older = (await publish.execute(new PublishCheckpointCommand())).checkpoint!;
      await append.execute(new AppendEntriesCommand(Array.from({ length: 9 }, (_, i) => event(5 + i))));
      const newer = (await publish.execute(new PublishCheckpointCommand())).checkpoint!;
      const consistency = new GetConsistencyProofHandler(repository);
      const view = await consistency.execute(new GetConsistencyProofQuery(5));
      expect(view).toMatchObject({
        fromSize: 5,
        toSize: 14,
        fromCheckpoint: older.note,
        toCheckpoint: newer.note,
      });
      expect(verifyConsistency(5, 14, older.rootHash, newer.rootHash, view.proof).valid).toBe(true);
      expect(await codeOf(consistency.execute(new GetConsistencyProofQuery(15, 14)))).toBe(
        'LEDGER.INVALID_TREE_RANGE',
      );
      expect(await codeOf(consistency.execute(new GetConsistencyProofQuery(3, 15)))).toBe(
        'LEDGER.INVALID_TREE_RANGE',
      );
    });
  });

  describe('GetEntry and RedactPayload', () => {
    it('serves an entry with its verified payload, and redaction keeps the leaf and its proofs', async () => {
      await append.execute(new AppendEntriesCommand(Array.from({ length: 6 }, (_, i) => event(i))));
      await publish.execute(new PublishCheckpointCommand());
      const getEntry = new GetEntryHandler(repository, payloads);
      const before = await getEntry.execute(new GetEntryQuery({ index: 2 }, ALL));
      expect(before).toMatchObject({ payloadState: 'present', payload: event(2).payload, redactedAt: null });
      expect(before.content.eventId).toBe(event(2).eventId);

      const redact = new RedactPayloadHandler(repository, payloads, clock);
      const result = await redact.execute(
        new RedactPayloadCommand({ eventId: event(2).eventId }, 'GDPR erasure #42'),
      );
      expect(result).toEqual({ index: 2, eventId: event(2).eventId, status: 'redacted' });
      expect((await redact.execute(new RedactPayloadCommand({ index: 2 }, 'again'))).status).toBe(
        'already-redacted',
      );

      const after = await getEntry.execute(new GetEntryQuery({ index: 2 }, ALL));
      expect(after).toMatchObject({
        payloadState: 'redacted',
        payload: null,
        redactedAt: NOW,
        redactionReason: 'GDPR erasure #42',
        leafHash: before.leafHash,
      });
      // Redelivering the event does not bring the payload back.
      await append.execute(new AppendEntriesCommand([event(2)]));
      expect((await getEntry.execute(new GetEntryQuery({ index: 2 }, ALL))).payloadState).toBe('redacted');

      const view = await new GetInclusionProofHandler(repository).execute(
        new GetInclusionProofQuery({ index: 2 }, ALL),
      );
      expect(verifyInclusion(2, 6, view.leafHash, view.proof, await repository.rootAt(6)).valid).toBe(true);
    });

    it('tells a payload that no longer matches its leaf, or is gone', async () => {
      await append.execute(new AppendEntriesCommand([event(0)]));
      const entry = (await repository.entryAt(0, EVERY_ORGANISATION))!;
      const stored = { ref: entry.payloadRef, redactedAt: null, redactionReason: null };
      const altered = strict<PayloadStore>({
        get: () => Promise.resolve({ ...stored, content: { assetId: 'x' } }),
      });
      expect(
        (await new GetEntryHandler(repository, altered).execute(new GetEntryQuery({ index: 0 }, ALL)))
          .payloadState,
      ).toBe('mismatch');
      const lost = strict<PayloadStore>({ get: () => Promise.resolve(undefined) });
      expect(
        (await new GetEntryHandler(repository, lost).execute(new GetEntryQuery({ index: 0 }, ALL)))
          .payloadState,
      ).toBe('missing');
    });
  });

  describe('organisations', () => {
    const acme = { scope: { organisation: 'acme' }, callerId: 'u-acme' };

    it("binds each event's organisation into its leaf; a platform-wide leaf is the one it always was", async () => {
      await append.execute(
        new AppendEntriesCommand([event(0, undefined, 'acme'), event(1, undefined, 'globex'), event(2)]),
      );
      const [a, g, p] = await repository.entries(0, 3, EVERY_ORGANISATION);
      expect(decodeLeaf(a?.leaf ?? Buffer.alloc(0)).organisation).toBe('acme');
      expect(decodeLeaf(g?.leaf ?? Buffer.alloc(0)).organisation).toBe('globex');
      expect([a?.organisation, g?.organisation, p?.organisation]).toEqual(['acme', 'globex', null]);
      // Without an organisation the leaf is the six fields it always was, so old roots still hold.
      const { eventId, type, subject, time, payload } = event(2);
      expect(p?.leaf).toEqual(
        encodeLeaf({
          eventId,
          type,
          subject,
          time,
          payloadHash: payloadHashOf(payload),
          payloadRef: `payloads/${eventId}`,
        }),
      );
    });

    it("reads only the caller's organisation's entries and the platform-wide ones", async () => {
      await append.execute(
        new AppendEntriesCommand([event(0, undefined, 'acme'), event(1, undefined, 'globex'), event(2)]),
      );
      await publish.execute(new PublishCheckpointCommand());
      const warnings: string[] = [];
      const log = { warn: (m: string) => void warnings.push(m) };
      const getEntry = new GetEntryHandler(repository, payloads, log);
      const inclusion = new GetInclusionProofHandler(repository, log);
      expect((await getEntry.execute(new GetEntryQuery({ index: 0 }, acme))).content.organisation).toBe(
        'acme',
      );
      expect((await getEntry.execute(new GetEntryQuery({ index: 2 }, acme))).index).toBe(2);
      // globex's entry is not found, by index, event id or leaf hash, and for its proof.
      expect(await codeOf(getEntry.execute(new GetEntryQuery({ index: 1 }, acme)))).toBe(
        'LEDGER.ENTRY_NOT_FOUND',
      );
      expect(await codeOf(getEntry.execute(new GetEntryQuery({ eventId: event(1).eventId }, acme)))).toBe(
        'LEDGER.ENTRY_NOT_FOUND',
      );
      const globexLeaf = (await repository.entryAt(1, EVERY_ORGANISATION))?.leafHash ?? Buffer.alloc(32);
      expect(
        await codeOf(inclusion.execute(new GetInclusionProofQuery({ leafHash: globexLeaf }, acme))),
      ).toBe('LEDGER.ENTRY_NOT_FOUND');
      expect(warnings).toHaveLength(3);
      expect(warnings[0]).toContain('u-acme of organisation acme asked for entry 1 of organisation globex');
      // A truly missing entry is the same not-found, and nobody else's: nothing to log.
      expect(await codeOf(getEntry.execute(new GetEntryQuery({ index: 9 }, acme)))).toBe(
        'LEDGER.ENTRY_NOT_FOUND',
      );
      expect(warnings).toHaveLength(3);

      // An audit bundle for acme holds acme's and platform-wide entries, and never claims the whole log.
      const bundle = await new GetAuditBundleHandler(repository, payloads).execute(
        new GetAuditBundleQuery(0, 3, [], acme.scope),
      );
      expect(bundle.entries.map((e) => e.index)).toEqual([0, 2]);
      expect(bundle.organisation).toBe('acme');
      expect(encodeAuditBundle(bundle).complete).toBe(false);
      const audit = auditLedger({ ...bundle, policy: { origin: ORIGIN, logKeys: [logKey.verifier] } });
      expect(audit).toMatchObject({ ok: true, inclusionProofsVerified: 2 });
    });
  });

  describe('GetAuditBundle', () => {
    it('exports what an offline audit needs, and the audit passes', async () => {
      await append.execute(new AppendEntriesCommand(Array.from({ length: 5 }, (_, i) => event(i))));
      const first = (await publish.execute(new PublishCheckpointCommand())).checkpoint!;
      await append.execute(new AppendEntriesCommand(Array.from({ length: 15 }, (_, i) => event(5 + i))));
      const saved = (await publish.execute(new PublishCheckpointCommand())).checkpoint!;
      await append.execute(new AppendEntriesCommand(Array.from({ length: 17 }, (_, i) => event(20 + i))));
      await publish.execute(new PublishCheckpointCommand());
      await new RedactPayloadHandler(repository, payloads, clock).execute(
        new RedactPayloadCommand({ index: 4 }, 'r'),
      );

      const bundle = await new GetAuditBundleHandler(repository, payloads).execute(
        new GetAuditBundleQuery(0, 1_000, [20, 5], EVERY_ORGANISATION),
      );
      expect(bundle.treeSize).toBe(37);
      expect([bundle.fromIndex, bundle.toIndex]).toEqual([0, 37]);
      expect(bundle.checkpoints).toHaveLength(3);
      expect(bundle.consistencyProofs.map((p) => [p.fromSize, p.toSize])).toEqual([
        [5, 20],
        [20, 37],
      ]);
      const report = auditLedger({
        ...bundle,
        policy: { origin: ORIGIN, logKeys: [logKey.verifier] },
        trustedCheckpoints: [saved.note, first.note],
        completeLog: true,
      });
      expect(report.findings).toEqual([expect.objectContaining({ code: 'PAYLOAD_REDACTED', entryIndex: 4 })]);
      expect(report).toMatchObject({ ok: true, inclusionProofsVerified: 37, entriesReplayed: 37 });

      // The same bundle as the JSON document the API serves audits the same.
      const document = encodeAuditBundle(bundle);
      expect(document.complete).toBe(true);
      const decoded = decodeAuditBundle(JSON.parse(JSON.stringify(document)));
      const fromDocument = auditLedger({
        ...decoded,
        policy: { origin: ORIGIN, logKeys: [logKey.verifier] },
        trustedCheckpoints: [saved.note, first.note],
        completeLog: decoded.complete,
      });
      expect(fromDocument).toEqual(report);
    });
  });
});
