import type { EntrySelector } from '../../entry-selector';

export class GetEntryQuery {
  constructor(readonly entry: EntrySelector) {}
}
