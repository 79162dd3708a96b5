/** What the backbone needs to know about one event type. */
export interface EventDescriptor {
  readonly type: string;
  readonly topic: string;
  /** Field of the data that holds the aggregate id, used as the Kafka key. */
  readonly keyField: string;
  /** Registry subject of the data schema. */
  readonly subject: string;
  readonly schema: object;
}

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

/** The contract catalogue: every event type, and a validator for its data. */
export interface EventCatalogue {
  describe(type: string): EventDescriptor | undefined;
  validate(type: string, data: unknown): ValidationResult;
  all(): readonly EventDescriptor[];
}
