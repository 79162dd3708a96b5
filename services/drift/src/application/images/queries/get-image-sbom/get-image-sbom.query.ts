export class GetImageSbomQuery {
  constructor(readonly imageVersionId: string) {}
}
