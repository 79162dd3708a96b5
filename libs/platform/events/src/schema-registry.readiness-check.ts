/** Ready when the Confluent-compatible registry API lists its subjects. */
export function schemaRegistryReadinessCheck(registryUrl: string) {
  return {
    name: 'schema-registry',
    async check(): Promise<void> {
      const res = await fetch(`${registryUrl.replace(/\/$/, '')}/subjects`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (!res.ok) throw new Error(`registry answered HTTP ${res.status}`);
    },
  };
}
