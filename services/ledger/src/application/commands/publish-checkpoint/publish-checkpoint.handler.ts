import {
  formatCheckpoint,
  formatSignedNote,
  LedgerError,
  verifyConsistency,
  type NoteSignature,
} from '@rf/platform-ledger-proof';
import type { CheckpointSigner } from '../../ports/checkpoint-signer.port';
import type { Clock } from '../../ports/clock.port';
import type { LedgerRepository, StoredCheckpoint } from '../../ports/ledger.repository.port';
import type { PublishCheckpointCommand } from './publish-checkpoint.command';

export interface PublishCheckpointResult {
  /** False when there was nothing new to sign; `checkpoint` is then the latest one, if any. */
  readonly published: boolean;
  readonly checkpoint: StoredCheckpoint | undefined;
}

export class PublishCheckpointHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly signers: readonly CheckpointSigner[],
    private readonly clock: Clock,
    private readonly origin: string,
  ) {
    if (signers.length === 0) throw new Error('PublishCheckpointHandler needs at least one signer');
  }

  async execute(command: PublishCheckpointCommand): Promise<PublishCheckpointResult> {
    const [treeSize, latest] = await Promise.all([
      this.repository.treeSize(),
      this.repository.latestCheckpoint(),
    ]);
    // A log smaller than its last checkpoint falls through to assertExtends, which refuses it.
    const newEntries = treeSize - (latest?.treeSize ?? 0);
    if (treeSize === 0 || (newEntries >= 0 && newEntries < Math.max(1, command.minimumNewEntries))) {
      return { published: false, checkpoint: latest };
    }
    const rootHash = await this.repository.rootAt(treeSize);
    if (latest !== undefined) await this.assertExtends(latest, treeSize, rootHash);

    const text = formatCheckpoint({ origin: this.origin, size: treeSize, rootHash, extensions: [] });
    const message = Buffer.from(text, 'utf8');
    const signatures: NoteSignature[] = await Promise.all(
      this.signers.map(async (signer) => ({
        keyName: signer.keyName,
        keyId: signer.keyId,
        signature: Buffer.from(await signer.sign(message)),
      })),
    );
    const note = formatSignedNote({ text, signatures });
    const stored = await this.repository.saveCheckpoint({
      treeSize,
      rootHash,
      note,
      signedAt: this.clock.now(),
    });
    return { published: stored.note === note, checkpoint: stored };
  }

  /** A log must never sign a tree that does not extend one it signed before (C2SP tlog-checkpoint). */
  private async assertExtends(latest: StoredCheckpoint, treeSize: number, rootHash: Buffer): Promise<void> {
    if (latest.treeSize > treeSize) {
      throw new LedgerError(
        'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT',
        `The log has ${treeSize} entries but already signed a checkpoint at ${latest.treeSize}: it lost entries`,
        { metadata: { treeSize, checkpointSize: latest.treeSize } },
      );
    }
    const proof = await this.repository.consistencyProof(latest.treeSize, treeSize);
    const check = verifyConsistency(latest.treeSize, treeSize, latest.rootHash, rootHash, proof);
    if (!check.valid) {
      throw new LedgerError(
        'LEDGER.INCONSISTENT_WITH_PREVIOUS_CHECKPOINT',
        `The tree of ${treeSize} entries does not extend the checkpoint at ${latest.treeSize}: ${check.reason}`,
        { metadata: { treeSize, checkpointSize: latest.treeSize } },
      );
    }
  }
}
