/** Where an asset runs; `simulated` and `file` are the demo and offline-import connectors (see the contracts). */
export const PLATFORMS = ['aws', 'azure', 'gcp', 'vsphere', 'simulated', 'file'] as const;

export type Platform = (typeof PLATFORMS)[number];

const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORMS);

export function isPlatform(value: unknown): value is Platform {
  return typeof value === 'string' && PLATFORM_SET.has(value);
}
