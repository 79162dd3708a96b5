import {
  Ed25519NoteSigner,
  formatCheckpoint,
  formatSignedNote,
  LedgerError,
  parseSignedNote,
  signNote,
  verifyCheckpointNote,
} from '@rf/platform-ledger-proof';
import { InMemoryCosignatureStore } from '../../../infrastructure/persistence/in-memory-cosignature.store';
import { InMemoryLedgerRepository } from '../../../infrastructure/persistence/in-memory-ledger.repository';
import { GetCheckpointHandler } from '../../queries/get-checkpoint/get-checkpoint.handler';
import { GetCheckpointQuery } from '../../queries/get-checkpoint/get-checkpoint.query';
import { AddWitnessCosignatureCommand } from './add-witness-cosignature.command';
import { AddWitnessCosignatureHandler } from './add-witness-cosignature.handler';

const ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
const logKey = Ed25519NoteSigner.generate(ORIGIN);
const witness = Ed25519NoteSigner.generate('witness.example.org/w1');
const otherWitness = Ed25519NoteSigner.generate('witness.example.org/w2');
const stranger = Ed25519NoteSigner.generate('witness.example.org/unknown');
const NOW = new Date('2026-11-22T12:00:00Z');

async function setUp() {
  const repository = new InMemoryLedgerRepository();
  const text = formatCheckpoint({ origin: ORIGIN, size: 7, rootHash: Buffer.alloc(32, 7), extensions: [] });
  const note = formatSignedNote(signNote(text, [logKey]));
  await repository.saveCheckpoint({ treeSize: 7, rootHash: Buffer.alloc(32, 7), note, signedAt: NOW });
  const store = new InMemoryCosignatureStore();
  const handler = new AddWitnessCosignatureHandler(
    repository,
    store,
    [witness.verifier, otherWitness.verifier],
    { now: () => NOW },
  );
  return { repository, store, handler, note, get: new GetCheckpointHandler(repository, store) };
}

/** What a witness does: add its signature line to the note it was given. */
const cosign = (note: string, ...keys: Ed25519NoteSigner[]) => {
  const signed = parseSignedNote(note);
  return formatSignedNote(signNote(signed.text, keys, signed.signatures));
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error: unknown) {
    return error instanceof LedgerError ? error.code : String(error);
  }
}

describe('witness co-signatures', () => {
  it('stores a configured witness co-signature once and serves the note with it', async () => {
    const { handler, note, get } = await setUp();
    const cosigned = cosign(note, witness);
    expect(await handler.execute(new AddWitnessCosignatureCommand(cosigned))).toEqual({
      treeSize: 7,
      added: [`witness.example.org/w1+${witness.keyId.toString(16).padStart(8, '0')}`],
      alreadyPresent: [],
    });
    expect((await handler.execute(new AddWitnessCosignatureCommand(cosigned))).alreadyPresent).toHaveLength(
      1,
    );

    const served = await get.execute(new GetCheckpointQuery());
    expect(served.note).toBe(cosigned);
    expect(served.cosignedBy).toHaveLength(1);
    // An auditor requiring the witness now accepts the served note; one requiring two does not.
    const policy = {
      origin: ORIGIN,
      logKeys: [logKey.verifier],
      witnessKeys: [witness.verifier, otherWitness.verifier],
    };
    expect(verifyCheckpointNote(served.note, { ...policy, witnessQuorum: 1 }).findings).toEqual([]);
    expect(
      verifyCheckpointNote(served.note, { ...policy, witnessQuorum: 2 }).findings.map((f) => f.code),
    ).toEqual(['WITNESS_QUORUM_NOT_MET']);
  });

  it('merges co-signatures that arrive separately, and keeps only the witnesses', async () => {
    const { handler, note, get } = await setUp();
    await handler.execute(new AddWitnessCosignatureCommand(cosign(note, witness, stranger)));
    await handler.execute(new AddWitnessCosignatureCommand(cosign(note, otherWitness)));
    const served = await get.execute(new GetCheckpointQuery(7));
    expect(parseSignedNote(served.note).signatures.map((s) => s.keyName)).toEqual([
      ORIGIN,
      'witness.example.org/w1',
      'witness.example.org/w2',
    ]);
  });

  it('refuses a forged co-signature, an unknown witness, another tree, and a size the log never signed', async () => {
    const { handler, note } = await setUp();
    const signed = parseSignedNote(note);
    const forged = formatSignedNote({
      text: signed.text,
      signatures: [
        ...signed.signatures,
        { keyName: witness.keyName, keyId: witness.keyId, signature: Buffer.alloc(64, 1) },
      ],
    });
    expect(await codeOf(handler.execute(new AddWitnessCosignatureCommand(forged)))).toBe(
      'LEDGER.COSIGNATURE_INVALID',
    );
    expect(await codeOf(handler.execute(new AddWitnessCosignatureCommand(cosign(note, stranger))))).toBe(
      'LEDGER.UNKNOWN_WITNESS',
    );
    const fork = formatSignedNote(
      signNote(formatCheckpoint({ origin: ORIGIN, size: 7, rootHash: Buffer.alloc(32, 8), extensions: [] }), [
        witness,
      ]),
    );
    expect(await codeOf(handler.execute(new AddWitnessCosignatureCommand(fork)))).toBe(
      'LEDGER.COSIGNED_CHECKPOINT_MISMATCH',
    );
    const unknownSize = formatSignedNote(
      signNote(formatCheckpoint({ origin: ORIGIN, size: 9, rootHash: Buffer.alloc(32, 9), extensions: [] }), [
        witness,
      ]),
    );
    expect(await codeOf(handler.execute(new AddWitnessCosignatureCommand(unknownSize)))).toBe(
      'LEDGER.NO_CHECKPOINT',
    );
    expect(await codeOf(handler.execute(new AddWitnessCosignatureCommand('not a note')))).toBe(
      'LEDGER.MALFORMED_NOTE',
    );
  });
});
