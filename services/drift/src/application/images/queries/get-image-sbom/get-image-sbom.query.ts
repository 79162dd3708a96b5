export class GetImageSbomQuery {
  constructor(
    readonly organisation: string,
    readonly imageVersionId: string,
  ) {}
}
