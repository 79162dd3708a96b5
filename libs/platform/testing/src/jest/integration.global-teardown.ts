/** Stops the containers a testcontainers run started; the local stack is left running. */
export default async function globalTeardown(): Promise<void> {
  const containers = globalThis.__rfContainers ?? [];
  await Promise.all(containers.map((c) => c.stop()));
}
