import type {
  PayloadStore,
  PayloadToStore,
  RedactionStatus,
  StoredPayload,
} from '../../application/ports/payload-store.port';

/** Payloads in process memory: for unit tests and local tools. Not durable. */
export class InMemoryPayloadStore implements PayloadStore {
  private readonly payloads = new Map<string, StoredPayload>();

  putIfAbsent(payloads: readonly PayloadToStore[]): Promise<void> {
    for (const { ref, content } of payloads) {
      if (!this.payloads.has(ref)) {
        this.payloads.set(ref, {
          ref,
          content: structuredClone(content),
          redactedAt: null,
          redactionReason: null,
        });
      }
    }
    return Promise.resolve();
  }

  get(ref: string): Promise<StoredPayload | undefined> {
    return Promise.resolve(this.payloads.get(ref));
  }

  getMany(refs: readonly string[]): Promise<ReadonlyMap<string, StoredPayload>> {
    const found = refs.flatMap((ref) => {
      const stored = this.payloads.get(ref);
      return stored === undefined ? [] : [[ref, stored] as const];
    });
    return Promise.resolve(new Map(found));
  }

  publicationRefsOf(imageVersionIds: readonly string[]): Promise<string[]> {
    const ids = new Set(imageVersionIds);
    const refs = [...this.payloads.values()].flatMap(({ ref, content }) => {
      if (typeof content !== 'object' || content === null || Array.isArray(content)) return [];
      const record = content as { readonly [key: string]: unknown };
      const id = record['imageVersionId'];
      return typeof id === 'string' && ids.has(id) && record['sbom'] !== undefined ? [ref] : [];
    });
    return Promise.resolve(refs.sort());
  }

  redact(ref: string, at: Date, reason: string): Promise<RedactionStatus> {
    const stored = this.payloads.get(ref);
    if (stored === undefined) return Promise.resolve('not-found');
    if (stored.redactedAt !== null) return Promise.resolve('already-redacted');
    this.payloads.set(ref, { ref, content: null, redactedAt: at, redactionReason: reason });
    return Promise.resolve('redacted');
  }
}
