/** Remove a connector's configuration. Its assets and scan history stay. */
export class DeleteConnectorCommand {
  constructor(
    readonly organisation: string,
    readonly id: string,
  ) {}
}
