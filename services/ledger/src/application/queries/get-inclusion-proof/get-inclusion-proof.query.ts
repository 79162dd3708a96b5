import type { EntryReader, EntrySelector } from '../../entry-selector';

/**
 * An entry's audit path, if the reader's organisation may see the entry; against the latest
 * checkpoint unless a tree size is given.
 */
export class GetInclusionProofQuery {
  constructor(
    readonly entry: EntrySelector,
    readonly reader: EntryReader,
    readonly treeSize?: number,
  ) {}
}
