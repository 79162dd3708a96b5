import type { EntryScope } from '../../ports/ledger.repository.port';

/**
 * Everything an auditor needs to check entries [fromIndex, toIndex) offline: the latest checkpoint, the
 * checkpoints at sizes the auditor already trusts, consistency proofs linking them, and each entry with
 * its inclusion proof and payload.
 */
export class GetAuditBundleQuery {
  constructor(
    readonly fromIndex: number,
    readonly toIndex: number,
    /** Tree sizes of checkpoints the auditor saved before. */
    readonly trustedSizes: readonly number[],
    /**
     * The entries of the range the bundle holds: one organisation's and the platform-wide ones (the
     * checkpoints and consistency proofs, hashes only, are the whole log's), or every entry.
     */
    readonly scope: EntryScope,
  ) {}
}
