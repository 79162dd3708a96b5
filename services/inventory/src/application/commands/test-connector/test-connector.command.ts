/** Check that a connector reaches its provider with its credentials, without ingesting anything. */
export class TestConnectorCommand {
  constructor(
    readonly organisation: string,
    readonly id: string,
  ) {}
}
