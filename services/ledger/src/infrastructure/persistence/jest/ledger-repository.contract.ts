import {
  encodeLeaf,
  hashLeaf,
  LedgerError,
  payloadHashOf,
  payloadRefFor,
  referenceConsistencyProof,
  referenceInclusionProof,
  referenceRoot,
  verifyConsistency,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import {
  EVERY_ORGANISATION,
  type LeafToAppend,
  type LedgerRepository,
} from '../../../application/ports/ledger.repository.port';

export interface RepositoryUnderTest {
  readonly repository: LedgerRepository;
  close(): Promise<void>;
}

/** A leaf for a synthetic event; `variant` changes the content but not the event id. */
export function syntheticLeaf(
  i: number,
  variant = '',
  appendedAt = new Date('2025-11-22T10:00:00Z'),
): LeafToAppend {
  const eventId = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const payloadHash = payloadHashOf({ i, variant });
  const payloadRef = payloadRefFor(eventId);
  const leaf = encodeLeaf({
    eventId,
    type: 'io.resiliencefabric.drift.detected.v1',
    subject: `asset-${i}`,
    time: '2025-11-22T08:15:41Z',
    payloadHash,
    payloadRef,
  });
  return { eventId, organisation: null, leaf, leafHash: hashLeaf(leaf), payloadHash, payloadRef, appendedAt };
}

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((h) => Buffer.from(h).toString('hex'));

async function rangeError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error: unknown) {
    return error instanceof LedgerError ? error.code : String(error);
  }
}

/** Behaviour every LedgerRepository must have; run against each implementation. */
export function describeLedgerRepositoryContract(
  name: string,
  open: () => Promise<RepositoryUnderTest>,
): void {
  describe(`${name} (LedgerRepository contract)`, () => {
    let subject: RepositoryUnderTest;
    let repository: LedgerRepository;

    beforeEach(async () => {
      subject = await open();
      repository = subject.repository;
    });

    afterEach(async () => {
      await subject.close();
    });

    it('appends batches in order with gap-free indexes and the reference root at every size', async () => {
      const leaves = Array.from({ length: 77 }, (_, i) => syntheticLeaf(i));
      expect(await repository.treeSize()).toBe(0);
      expect((await repository.rootAt(0)).equals(referenceRoot([]))).toBe(true);
      let offset = 0;
      for (const batch of [1, 1, 2, 3, 7, 16, 47]) {
        const result = await repository.append(leaves.slice(offset, offset + batch));
        expect(result.outcomes.map((o) => [o.index, o.status])).toEqual(
          Array.from({ length: batch }, (_, i) => [offset + i, 'appended']),
        );
        offset += batch;
        expect(result.treeSize).toBe(offset);
      }
      const hashes = leaves.map((l) => l.leafHash);
      for (let size = 0; size <= 77; size += 1) {
        expect((await repository.rootAt(size)).toString('hex')).toBe(
          referenceRoot(hashes.slice(0, size)).toString('hex'),
        );
      }
      const entries = await repository.entries(0, 100, EVERY_ORGANISATION);
      expect(entries.map((e) => e.index)).toEqual(leaves.map((_, i) => i));
      expect(entries.map((e) => e.eventId)).toEqual(leaves.map((l) => l.eventId));
      expect(entries.every((e, i) => e.leaf.equals(leaves[i]?.leaf ?? Buffer.alloc(0)))).toBe(true);
    });

    it('serves inclusion and consistency proofs equal to RFC 6962 for every index and size pair', async () => {
      const leaves = Array.from({ length: 33 }, (_, i) => syntheticLeaf(i));
      await repository.append(leaves);
      const hashes = leaves.map((l) => l.leafHash);
      for (const size of [1, 2, 3, 5, 8, 13, 16, 31, 32, 33]) {
        const root = await repository.rootAt(size);
        for (let index = 0; index < size; index += 1) {
          const proof = await repository.inclusionProof(index, size);
          expect(hex(proof)).toEqual(hex(referenceInclusionProof(hashes, index, size)));
          expect(verifyInclusion(index, size, hashes[index] ?? Buffer.alloc(0), proof, root).valid).toBe(
            true,
          );
        }
        const batch = await repository.inclusionProofs(
          Array.from({ length: size }, (_, i) => i),
          size,
        );
        expect(batch.map(hex)).toEqual(
          Array.from({ length: size }, (_, i) => hex(referenceInclusionProof(hashes, i, size))),
        );
        for (let from = 0; from <= size; from += 1) {
          const proof = await repository.consistencyProof(from, size);
          expect(hex(proof)).toEqual(hex(referenceConsistencyProof(hashes, from, size)));
          expect(verifyConsistency(from, size, await repository.rootAt(from), root, proof).valid).toBe(true);
        }
      }
    });

    it('does not append an event id twice, and reports a conflicting leaf', async () => {
      const first = await repository.append([syntheticLeaf(0), syntheticLeaf(1), syntheticLeaf(0)]);
      expect(first.outcomes.map((o) => [o.index, o.status])).toEqual([
        [0, 'appended'],
        [1, 'appended'],
        [0, 'duplicate'],
      ]);
      const again = await repository.append([
        syntheticLeaf(1),
        syntheticLeaf(0, 'changed'),
        syntheticLeaf(2),
      ]);
      expect(again.outcomes.map((o) => [o.index, o.status])).toEqual([
        [1, 'duplicate'],
        [0, 'conflict'],
        [2, 'appended'],
      ]);
      expect(again.treeSize).toBe(3);
      expect(
        (await repository.entryAt(0, EVERY_ORGANISATION))?.leafHash.equals(syntheticLeaf(0).leafHash),
      ).toBe(true);
      const onlyDuplicates = await repository.append([syntheticLeaf(2)]);
      expect(onlyDuplicates).toEqual({
        outcomes: [expect.objectContaining({ status: 'duplicate' })],
        treeSize: 3,
      });
    });

    it('finds entries by index, event id and leaf hash', async () => {
      await repository.append([syntheticLeaf(0), syntheticLeaf(1)]);
      expect((await repository.entryByEventId(syntheticLeaf(1).eventId, EVERY_ORGANISATION))?.index).toBe(1);
      expect((await repository.entryByLeafHash(syntheticLeaf(1).leafHash, EVERY_ORGANISATION))?.index).toBe(
        1,
      );
      expect(await repository.entryByLeafHash(Buffer.alloc(32), EVERY_ORGANISATION)).toBeUndefined();
      expect((await repository.entryAt(0, EVERY_ORGANISATION))?.eventId).toBe(syntheticLeaf(0).eventId);
      expect(await repository.entryAt(2, EVERY_ORGANISATION)).toBeUndefined();
      expect(await repository.entryByEventId('nope', EVERY_ORGANISATION)).toBeUndefined();
      expect((await repository.entries(1, 5, EVERY_ORGANISATION)).map((e) => e.index)).toEqual([1]);
    });

    it("reaches an organisation's own entries and the platform-wide ones, never another's", async () => {
      const at = (minute: number) => new Date(Date.UTC(2025, 10, 22, 10, minute));
      const owned = (i: number, organisation: string | null): LeafToAppend => ({
        ...syntheticLeaf(i, '', at(i)),
        organisation,
      });
      await repository.append([owned(0, 'acme'), owned(1, 'globex'), owned(2, null), owned(3, 'acme')]);
      const acme = { organisation: 'acme' };
      const indexes = (entries: readonly { index: number }[]) => entries.map((e) => e.index);
      expect((await repository.entryAt(0, acme))?.organisation).toBe('acme');
      expect(await repository.entryAt(1, acme)).toBeUndefined();
      expect((await repository.entryAt(1, EVERY_ORGANISATION))?.organisation).toBe('globex');
      expect((await repository.entryAt(2, acme))?.organisation).toBeNull();
      expect(await repository.entryByEventId(syntheticLeaf(1).eventId, acme)).toBeUndefined();
      expect(await repository.entryByLeafHash(syntheticLeaf(1).leafHash, acme)).toBeUndefined();
      expect(indexes(await repository.entries(0, 10, acme))).toEqual([0, 2, 3]);
      expect(indexes(await repository.entries(0, 10, { organisation: 'globex' }))).toEqual([1, 2]);
      expect(indexes(await repository.entriesAppendedBetween(at(0), at(9), 10, 100, acme))).toEqual([
        0, 2, 3,
      ]);
      expect(await repository.countAppendedBetween(at(0), at(9), 0, acme)).toBe(3);
    });

    it('selects entries by when they were appended, below an index', async () => {
      const at = (minute: number) => new Date(Date.UTC(2025, 10, 22, 10, minute));
      await repository.append([0, 1, 2, 3, 4].map((i) => syntheticLeaf(i, '', at(i))));
      const indexes = (entries: readonly { index: number }[]) => entries.map((e) => e.index);
      expect(
        indexes(await repository.entriesAppendedBetween(at(1), at(4), 10, 100, EVERY_ORGANISATION)),
      ).toEqual([1, 2, 3]);
      expect(
        indexes(await repository.entriesAppendedBetween(at(1), at(4), 3, 100, EVERY_ORGANISATION)),
      ).toEqual([1, 2]);
      expect(
        indexes(await repository.entriesAppendedBetween(at(1), at(4), 10, 2, EVERY_ORGANISATION)),
      ).toEqual([1, 2]);
      expect(await repository.entriesAppendedBetween(at(5), at(9), 10, 100, EVERY_ORGANISATION)).toEqual([]);
      expect(await repository.countAppendedBetween(at(0), at(4), 2, EVERY_ORGANISATION)).toBe(2);
    });

    it('refuses roots and proofs beyond the log', async () => {
      await repository.append([syntheticLeaf(0), syntheticLeaf(1), syntheticLeaf(2)]);
      expect(await rangeError(repository.rootAt(4))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await rangeError(repository.inclusionProof(3, 4))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await rangeError(repository.inclusionProof(3, 3))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await rangeError(repository.inclusionProofs([0, 3], 4))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await repository.inclusionProofs([], 3)).toEqual([]);
      expect(await rangeError(repository.consistencyProof(2, 5))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await rangeError(repository.consistencyProof(4, 4))).toBe('LEDGER.INVALID_TREE_RANGE');
      expect(await rangeError(repository.consistencyProof(3, 2))).toBe('LEDGER.INVALID_TREE_RANGE');
    });

    it('stores one checkpoint per tree size', async () => {
      expect(await repository.latestCheckpoint()).toBeUndefined();
      const at = new Date('2025-11-22T10:00:00Z');
      const first = { treeSize: 2, rootHash: Buffer.alloc(32, 1), note: 'two\n', signedAt: at };
      expect(await repository.saveCheckpoint(first)).toEqual(first);
      await repository.saveCheckpoint({
        treeSize: 5,
        rootHash: Buffer.alloc(32, 2),
        note: 'five\n',
        signedAt: at,
      });
      const replaced = await repository.saveCheckpoint({ ...first, note: 'other\n' });
      expect(replaced.note).toBe('two\n');
      expect((await repository.latestCheckpoint())?.treeSize).toBe(5);
      expect((await repository.checkpointAt(2))?.rootHash.equals(Buffer.alloc(32, 1))).toBe(true);
      expect(await repository.checkpointAt(3)).toBeUndefined();
    });
  });
}
