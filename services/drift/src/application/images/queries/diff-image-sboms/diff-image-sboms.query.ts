/** What changed in the SBOM of `imageVersionId` since `againstId`. */
export class DiffImageSbomsQuery {
  constructor(
    readonly imageVersionId: string,
    readonly againstId: string,
  ) {}
}
