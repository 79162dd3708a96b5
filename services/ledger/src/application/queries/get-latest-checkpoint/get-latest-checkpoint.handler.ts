import { LedgerError } from '@rf/platform-ledger-proof';
import type { LedgerRepository, StoredCheckpoint } from '../../ports/ledger.repository.port';

/** The log's newest signed tree head. */
export class GetLatestCheckpointHandler {
  constructor(private readonly repository: LedgerRepository) {}

  async execute(): Promise<StoredCheckpoint> {
    const latest = await this.repository.latestCheckpoint();
    if (latest === undefined) {
      throw new LedgerError('LEDGER.NO_CHECKPOINT', 'No checkpoint has been published yet');
    }
    return latest;
  }
}
