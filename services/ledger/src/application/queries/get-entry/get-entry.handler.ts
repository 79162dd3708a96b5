import { decodeLeaf, type JsonValue, type LeafContent, payloadHashOf } from '@rf/platform-ledger-proof';
import { type CrossTenantLog, findEntry } from '../../entry-selector';
import type { LedgerRepository } from '../../ports/ledger.repository.port';
import type { PayloadStore } from '../../ports/payload-store.port';
import type { GetEntryQuery } from './get-entry.query';

/**
 * `present`: stored and hashing to the leaf's payloadHash. `redacted`: dropped on purpose.
 * `missing` or `mismatch`: the store lost or altered it, which the leaf exposes.
 */
export type PayloadState = 'present' | 'redacted' | 'missing' | 'mismatch';

export interface EntryView {
  readonly index: number;
  readonly leaf: Buffer;
  readonly leafHash: Buffer;
  readonly content: LeafContent;
  readonly appendedAt: Date;
  readonly payload: JsonValue | null;
  readonly payloadState: PayloadState;
  readonly redactedAt: Date | null;
  readonly redactionReason: string | null;
}

export class GetEntryHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly payloads: PayloadStore,
    private readonly log?: CrossTenantLog,
  ) {}

  async execute(query: GetEntryQuery): Promise<EntryView> {
    const entry = await findEntry(this.repository, query.entry, query.reader, this.log);
    const content = decodeLeaf(entry.leaf);
    const stored = await this.payloads.get(entry.payloadRef);
    let payloadState: PayloadState;
    if (stored === undefined) payloadState = 'missing';
    else if (stored.redactedAt !== null) payloadState = 'redacted';
    else payloadState = payloadHashOf(stored.content) === content.payloadHash ? 'present' : 'mismatch';
    return {
      index: entry.index,
      leaf: entry.leaf,
      leafHash: entry.leafHash,
      content,
      appendedAt: entry.appendedAt,
      payload: payloadState === 'present' && stored !== undefined ? stored.content : null,
      payloadState,
      redactedAt: stored?.redactedAt ?? null,
      redactionReason: stored?.redactionReason ?? null,
    };
  }
}
