/** Proof that the tree of fromSize is a prefix of the tree of toSize (the latest checkpoint by default). */
export class GetConsistencyProofQuery {
  constructor(
    readonly fromSize: number,
    readonly toSize?: number,
  ) {}
}
