import {
  describeKey,
  LedgerError,
  type NoteSignature,
  type NoteVerifyingKey,
  openNote,
  parseCheckpoint,
  parseSignedNote,
} from '@rf/platform-ledger-proof';
import type { Clock } from '../../ports/clock.port';
import type { CosignatureStore } from '../../ports/cosignature-store.port';
import type { LedgerRepository } from '../../ports/ledger.repository.port';
import type { AddWitnessCosignatureCommand } from './add-witness-cosignature.command';

export interface AddWitnessCosignatureResult {
  readonly treeSize: number;
  /** Witness keys (`name+id`) whose co-signatures were stored now. */
  readonly added: readonly string[];
  /** Witness keys whose co-signatures were stored before. */
  readonly alreadyPresent: readonly string[];
}

/**
 * Accepts a witness's co-signature on one of the log's checkpoints: the note text must be exactly the
 * one the log signed at that size, and every signature by a configured witness key must verify. Other
 * signatures on the note (the log's own, unknown keys) are not stored.
 */
export class AddWitnessCosignatureHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly cosignatures: CosignatureStore,
    private readonly witnessKeys: readonly NoteVerifyingKey[],
    private readonly clock: Clock,
  ) {}

  async execute(command: AddWitnessCosignatureCommand): Promise<AddWitnessCosignatureResult> {
    const signed = parseSignedNote(command.note);
    const checkpoint = parseCheckpoint(signed.text);
    const stored = await this.repository.checkpointAt(checkpoint.size);
    if (stored === undefined) {
      throw new LedgerError(
        'LEDGER.NO_CHECKPOINT',
        `The log signed no checkpoint of size ${checkpoint.size}`,
        {
          metadata: { treeSize: checkpoint.size },
        },
      );
    }
    if (parseSignedNote(stored.note).text !== signed.text) {
      throw new LedgerError(
        'LEDGER.COSIGNED_CHECKPOINT_MISMATCH',
        `The co-signed checkpoint of size ${checkpoint.size} is not the one the log signed at that size`,
        { metadata: { treeSize: checkpoint.size } },
      );
    }
    const opened = openNote(signed, this.witnessKeys);
    if (opened.failed.length > 0) {
      throw new LedgerError(
        'LEDGER.COSIGNATURE_INVALID',
        `The co-signature of ${opened.failed.map(describeKey).join(', ')} does not verify`,
        { metadata: { treeSize: checkpoint.size } },
      );
    }
    const byWitnesses: NoteSignature[] = signed.signatures.filter((s) =>
      opened.verifiedBy.some((k) => k.keyName === s.keyName && k.keyId === s.keyId),
    );
    if (byWitnesses.length === 0) {
      const signers = signed.signatures.map(describeKey).join(', ') || 'nobody';
      throw new LedgerError(
        'LEDGER.UNKNOWN_WITNESS',
        `No configured witness signed this note (signed by ${signers})`,
        {
          metadata: { treeSize: checkpoint.size },
        },
      );
    }
    const added = await this.cosignatures.add(checkpoint.size, byWitnesses, this.clock.now());
    const addedKeys = new Set(added.map(describeKey));
    return {
      treeSize: checkpoint.size,
      added: [...addedKeys],
      alreadyPresent: byWitnesses.map(describeKey).filter((k) => !addedKeys.has(k)),
    };
  }
}
