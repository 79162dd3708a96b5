/** What changed in the SBOM of `imageVersionId` since `againstId`. */
export class DiffImageSbomsQuery {
  constructor(
    /** Both versions must be this organisation's. */
    readonly organisation: string,
    readonly imageVersionId: string,
    readonly againstId: string,
  ) {}
}
