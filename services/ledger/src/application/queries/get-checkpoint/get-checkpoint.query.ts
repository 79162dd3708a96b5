/** A checkpoint with its witness co-signatures: at a tree size, or the latest. */
export class GetCheckpointQuery {
  constructor(readonly treeSize?: number) {}
}
