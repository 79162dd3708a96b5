/** Answers whether the registry knows a schema id; known ids are remembered, unknown ones re-asked. */
export class SchemaDirectory {
  private readonly known = new Set<number>();

  constructor(private readonly registryUrl: string) {}

  async exists(id: number): Promise<boolean> {
    if (this.known.has(id)) return true;
    const res = await fetch(`${this.registryUrl.replace(/\/$/, '')}/schemas/ids/${id}`, {
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status === 404) return false;
    if (!res.ok) throw new Error(`registry answered HTTP ${res.status} for schema id ${id}`);
    this.known.add(id);
    return true;
  }
}
