import { LedgerError } from '@rf/platform-ledger-proof';
import { type CrossTenantLog, findEntry } from '../../entry-selector';
import type { LedgerRepository } from '../../ports/ledger.repository.port';
import type { GetInclusionProofQuery } from './get-inclusion-proof.query';

export interface InclusionProofView {
  readonly index: number;
  readonly eventId: string;
  readonly treeSize: number;
  readonly leaf: Buffer;
  readonly leafHash: Buffer;
  readonly proof: readonly Buffer[];
  /** The signed checkpoint at treeSize, when there is one. */
  readonly checkpoint: string | undefined;
}

export class GetInclusionProofHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly log?: CrossTenantLog,
  ) {}

  async execute(query: GetInclusionProofQuery): Promise<InclusionProofView> {
    const entry = await findEntry(this.repository, query.entry, query.reader, this.log);
    let treeSize = query.treeSize;
    let checkpoint: string | undefined;
    if (treeSize === undefined) {
      const latest = await this.repository.latestCheckpoint();
      if (latest === undefined)
        throw new LedgerError('LEDGER.NO_CHECKPOINT', 'No checkpoint has been published yet');
      treeSize = latest.treeSize;
      checkpoint = latest.note;
    } else {
      const size = await this.repository.treeSize();
      if (!Number.isSafeInteger(treeSize) || treeSize > size) {
        throw new LedgerError(
          'LEDGER.INVALID_TREE_RANGE',
          `Tree size ${treeSize} is beyond the log (${size})`,
          {
            metadata: { treeSize, size },
          },
        );
      }
      checkpoint = (await this.repository.checkpointAt(treeSize))?.note;
    }
    if (entry.index >= treeSize) {
      throw new LedgerError(
        'LEDGER.ENTRY_NOT_YET_CHECKPOINTED',
        `Entry ${entry.index} is not in the tree of size ${treeSize} yet`,
        { retriable: query.treeSize === undefined, metadata: { index: entry.index, treeSize } },
      );
    }
    const proof = await this.repository.inclusionProof(entry.index, treeSize);
    return {
      index: entry.index,
      eventId: entry.eventId,
      treeSize,
      leaf: entry.leaf,
      leafHash: entry.leafHash,
      proof,
      checkpoint,
    };
  }
}
