/** What the backbone needs to know about one event type. */
export interface EventDescriptor {
  readonly type: string;
  readonly topic: string;
  /** Field of the data that holds the aggregate id, used as the Kafka key. */
  readonly keyField: string;
  /** Registry subject of the data schema. */
  readonly subject: string;
  readonly schema: object;
  /** The schema text as registered: the registry reads JSON Schema without a 2020-12 `$schema`. */
  readonly registrySchema: string;
  /** The service that emits it, or 'any' for events every service writes (policy decisions). */
  readonly producer: string;
}

export type ValidationResult =
  { readonly ok: true } | { readonly ok: false; readonly errors: readonly string[] };

/** The contract catalogue: every event type, and a validator for its data. */
export interface EventCatalogue {
  describe(type: string): EventDescriptor | undefined;
  validate(type: string, data: unknown): ValidationResult;
  all(): readonly EventDescriptor[];
}
