/** Configure a new connector. Credentials are references; the settings follow the kind's schema. */
export class CreateConnectorCommand {
  constructor(
    /** The creating principal's organisation; the connector stays in it. */
    readonly organisation: string,
    readonly input: {
      readonly kind: string;
      readonly name: string;
      readonly settings: Readonly<Record<string, unknown>>;
      readonly credentials: Readonly<Record<string, string>>;
      readonly schedule: string | null;
      readonly enabled: boolean;
    },
  ) {}
}
