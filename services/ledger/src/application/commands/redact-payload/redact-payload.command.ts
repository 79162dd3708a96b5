import type { EntrySelector } from '../../entry-selector';

/** Drops an entry's stored payload. The leaf stays, so every proof through it still verifies. */
export class RedactPayloadCommand {
  constructor(
    readonly entry: EntrySelector,
    readonly reason: string,
  ) {}
}
