import type { LedgerEntry } from '../domain/entry/ledger-entry';
import { LedgerError } from '../domain/ledger.error';
import type { LedgerRepository } from './ports/ledger.repository.port';

/** Which entry a query or command is about. */
export type EntrySelector = { readonly eventId: string } | { readonly index: number };

export async function findEntry(repository: LedgerRepository, selector: EntrySelector): Promise<LedgerEntry> {
  const entry =
    'eventId' in selector
      ? await repository.entryByEventId(selector.eventId)
      : await repository.entryAt(selector.index);
  if (entry === undefined) {
    const metadata: Record<string, string | number> =
      'eventId' in selector ? { eventId: selector.eventId } : { index: selector.index };
    throw new LedgerError('LEDGER.ENTRY_NOT_FOUND', 'No such ledger entry', { metadata });
  }
  return entry;
}
