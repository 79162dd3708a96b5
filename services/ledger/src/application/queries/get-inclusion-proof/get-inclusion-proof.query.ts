import type { EntrySelector } from '../../entry-selector';

/** An entry's audit path; against the latest checkpoint unless a tree size is given. */
export class GetInclusionProofQuery {
  constructor(
    readonly entry: EntrySelector,
    readonly treeSize?: number,
  ) {}
}
