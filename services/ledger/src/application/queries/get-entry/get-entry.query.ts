import type { EntryReader, EntrySelector } from '../../entry-selector';

/** One entry and its payload, if the reader's organisation may see it. */
export class GetEntryQuery {
  constructor(
    readonly entry: EntrySelector,
    readonly reader: EntryReader,
  ) {}
}
