/** Change a connector's configuration; absent fields keep their value. The kind never changes. */
export class UpdateConnectorCommand {
  constructor(
    readonly organisation: string,
    readonly id: string,
    readonly changes: {
      readonly name?: string;
      readonly settings?: Readonly<Record<string, unknown>>;
      readonly credentials?: Readonly<Record<string, string>>;
      readonly schedule?: string | null;
      readonly enabled?: boolean;
    },
  ) {}
}
