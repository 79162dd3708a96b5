import { LedgerError } from '@rf/platform-ledger-proof';
import type { LedgerRepository } from '../../ports/ledger.repository.port';
import type { GetConsistencyProofQuery } from './get-consistency-proof.query';

export interface ConsistencyProofView {
  readonly fromSize: number;
  readonly toSize: number;
  readonly proof: readonly Buffer[];
  /** Signed checkpoints at either size, when there are. */
  readonly fromCheckpoint: string | undefined;
  readonly toCheckpoint: string | undefined;
}

export class GetConsistencyProofHandler {
  constructor(private readonly repository: LedgerRepository) {}

  async execute(query: GetConsistencyProofQuery): Promise<ConsistencyProofView> {
    const { fromSize } = query;
    let toSize = query.toSize;
    if (toSize === undefined) {
      const latest = await this.repository.latestCheckpoint();
      if (latest === undefined)
        throw new LedgerError('LEDGER.NO_CHECKPOINT', 'No checkpoint has been published yet');
      toSize = latest.treeSize;
    }
    const size = await this.repository.treeSize();
    if (
      !Number.isSafeInteger(fromSize) ||
      !Number.isSafeInteger(toSize) ||
      fromSize < 0 ||
      fromSize > toSize ||
      toSize > size
    ) {
      throw new LedgerError(
        'LEDGER.INVALID_TREE_RANGE',
        `No consistency proof from ${fromSize} to ${toSize} in a log of ${size}`,
        { metadata: { fromSize, toSize, size } },
      );
    }
    const [proof, from, to] = await Promise.all([
      this.repository.consistencyProof(fromSize, toSize),
      this.repository.checkpointAt(fromSize),
      this.repository.checkpointAt(toSize),
    ]);
    return { fromSize, toSize, proof, fromCheckpoint: from?.note, toCheckpoint: to?.note };
  }
}
