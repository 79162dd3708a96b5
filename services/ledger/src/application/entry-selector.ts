import { LedgerError } from '@rf/platform-ledger-proof';
import type { LedgerEntry } from '../domain/entry/ledger-entry';
import type { LedgerRepository } from './ports/ledger.repository.port';

/** Which entry a query or command is about. */
export type EntrySelector =
  { readonly eventId: string } | { readonly index: number } | { readonly leafHash: Buffer };

function lookUp(repository: LedgerRepository, selector: EntrySelector): Promise<LedgerEntry | undefined> {
  if ('eventId' in selector) return repository.entryByEventId(selector.eventId);
  if ('leafHash' in selector) return repository.entryByLeafHash(selector.leafHash);
  return repository.entryAt(selector.index);
}

function describeSelector(selector: EntrySelector): Record<string, string | number> {
  if ('eventId' in selector) return { eventId: selector.eventId };
  if ('leafHash' in selector) return { leafHash: selector.leafHash.toString('hex') };
  return { index: selector.index };
}

export async function findEntry(repository: LedgerRepository, selector: EntrySelector): Promise<LedgerEntry> {
  const entry = await lookUp(repository, selector);
  if (entry === undefined) {
    throw new LedgerError('LEDGER.ENTRY_NOT_FOUND', 'No such ledger entry', {
      metadata: describeSelector(selector),
    });
  }
  return entry;
}
