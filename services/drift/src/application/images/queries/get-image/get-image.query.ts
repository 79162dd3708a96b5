export class GetImageQuery {
  constructor(
    readonly organisation: string,
    readonly imageVersionId: string,
  ) {}
}
