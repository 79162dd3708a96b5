export class GetImageQuery {
  constructor(readonly imageVersionId: string) {}
}
