export interface SchemaSubject {
  readonly subject: string;
  /** Schema text, as the registry should store it. */
  readonly schema: string;
}

export type Compatibility = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FULL' | 'NONE';

export class IncompatibleSchemaError extends Error {
  override readonly name = 'IncompatibleSchemaError';
  constructor(
    readonly subject: string,
    detail: string,
  ) {
    super(`schema for ${subject} is not compatible with the registered one: ${detail}`);
  }
}

const CONTENT_TYPE = { 'content-type': 'application/vnd.schemaregistry.v1+json' };

/**
 * Registers event schemas through the Confluent-compatible API, each subject under the given
 * compatibility rule. Registering an unchanged schema returns its existing id; an incompatible
 * change is refused by the registry and reported, so a deploy or CI run fails on it.
 */
export class SchemaPublisher {
  constructor(
    private readonly registryUrl: string,
    private readonly compatibility: Compatibility = 'BACKWARD',
  ) {}

  async register(subjects: readonly SchemaSubject[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const { subject, schema } of subjects) {
      await this.request('PUT', `/config/${encodeURIComponent(subject)}`, {
        compatibility: this.compatibility,
      });
      const res = await this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, {
        schemaType: 'JSON',
        schema,
      });
      if (res.status === 409) throw new IncompatibleSchemaError(subject, await res.text());
      if (!res.ok) throw new Error(`registering ${subject} failed: HTTP ${res.status} ${await res.text()}`);
      ids.set(subject, ((await res.json()) as { id: number }).id);
    }
    return ids;
  }

  /** Asks whether a schema could be registered, without registering it. */
  async isCompatible({ subject, schema }: SchemaSubject): Promise<boolean> {
    const res = await this.request(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      {
        schemaType: 'JSON',
        schema,
      },
    );
    if (res.status === 404) return true; // nothing registered yet
    if (!res.ok)
      throw new Error(`compatibility check of ${subject} failed: HTTP ${res.status} ${await res.text()}`);
    return ((await res.json()) as { is_compatible: boolean }).is_compatible;
  }

  private request(method: string, path: string, body: unknown): Promise<Response> {
    return fetch(`${this.registryUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: CONTENT_TYPE,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  }
}
