import { describeKey, LedgerError } from '@rf/platform-ledger-proof';
import { withCosignatures } from '../../cosigned-note';
import type { CosignatureStore } from '../../ports/cosignature-store.port';
import type { LedgerRepository, StoredCheckpoint } from '../../ports/ledger.repository.port';
import type { GetCheckpointQuery } from './get-checkpoint.query';

export interface CosignedCheckpoint extends StoredCheckpoint {
  /** Witness keys (`name+id`) whose co-signatures are on the note. */
  readonly cosignedBy: readonly string[];
}

export class GetCheckpointHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly cosignatures: CosignatureStore,
  ) {}

  async execute(query: GetCheckpointQuery): Promise<CosignedCheckpoint> {
    const stored =
      query.treeSize === undefined
        ? await this.repository.latestCheckpoint()
        : await this.repository.checkpointAt(query.treeSize);
    if (stored === undefined) {
      throw new LedgerError(
        'LEDGER.NO_CHECKPOINT',
        query.treeSize === undefined
          ? 'No checkpoint has been published yet'
          : `The log signed no checkpoint of size ${query.treeSize}`,
      );
    }
    const cosignatures = await this.cosignatures.forSize(stored.treeSize);
    return {
      ...stored,
      note: withCosignatures(stored.note, cosignatures),
      cosignedBy: cosignatures.map(describeKey),
    };
  }
}
