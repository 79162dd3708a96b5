/** Resolves registry subjects to their latest schema id, once per subject per process. */
export class SchemaIdResolver {
  private readonly ids = new Map<string, Promise<number>>();

  constructor(private readonly registryUrl: string) {}

  resolve(subject: string): Promise<number> {
    let id = this.ids.get(subject);
    if (!id) {
      id = this.fetchLatest(subject);
      this.ids.set(subject, id);
      // A failed lookup is not cached, so the next attempt asks the registry again.
      id.catch(() => this.ids.delete(subject));
    }
    return id;
  }

  private async fetchLatest(subject: string): Promise<number> {
    const url = `${this.registryUrl.replace(/\/$/, '')}/subjects/${encodeURIComponent(subject)}/versions/latest`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`registry has no schema for subject ${subject} (HTTP ${res.status})`);
    const body = (await res.json()) as { id?: unknown };
    if (typeof body.id !== 'number') throw new Error(`registry answered without an id for ${subject}`);
    return body.id;
  }
}
