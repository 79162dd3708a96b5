import { LedgerError } from '@rf/platform-ledger-proof';
import type { LedgerEntry } from '../domain/entry/ledger-entry';
import { type EntryScope, EVERY_ORGANISATION, type LedgerRepository } from './ports/ledger.repository.port';

/** Which entry a query or command is about. */
export type EntrySelector =
  { readonly eventId: string } | { readonly index: number } | { readonly leafHash: Buffer };

/** Where a read refused because the entry is another organisation's is logged (no payloads). */
export interface CrossTenantLog {
  warn(message: string): void;
}

/** Who reads: the organisation the read is scoped to, and the caller, named in the log. */
export interface EntryReader {
  readonly scope: EntryScope;
  readonly callerId?: string;
}

function lookUp(
  repository: LedgerRepository,
  selector: EntrySelector,
  scope: EntryScope,
): Promise<LedgerEntry | undefined> {
  if ('eventId' in selector) return repository.entryByEventId(selector.eventId, scope);
  if ('leafHash' in selector) return repository.entryByLeafHash(selector.leafHash, scope);
  return repository.entryAt(selector.index, scope);
}

function describeSelector(selector: EntrySelector): Record<string, string | number> {
  if ('eventId' in selector) return { eventId: selector.eventId };
  if ('leafHash' in selector) return { leafHash: selector.leafHash.toString('hex') };
  return { index: selector.index };
}

/**
 * The entry, within the reader's scope. An entry of another organisation is not found, exactly as
 * one that does not exist; the attempt is logged with the caller, its organisation and the entry.
 */
export async function findEntry(
  repository: LedgerRepository,
  selector: EntrySelector,
  reader: EntryReader,
  log?: CrossTenantLog,
): Promise<LedgerEntry> {
  const entry = await lookUp(repository, selector, reader.scope);
  if (entry === undefined) {
    if (reader.scope !== EVERY_ORGANISATION && log !== undefined) {
      const other = await lookUp(repository, selector, EVERY_ORGANISATION);
      if (other !== undefined) {
        log.warn(
          `cross-tenant ledger read refused: caller ${reader.callerId ?? 'unknown'} of organisation ` +
            `${reader.scope.organisation} asked for entry ${other.index} of organisation ${other.organisation ?? '-'}`,
        );
      }
    }
    throw new LedgerError('LEDGER.ENTRY_NOT_FOUND', 'No such ledger entry', {
      metadata: describeSelector(selector),
    });
  }
  return entry;
}
