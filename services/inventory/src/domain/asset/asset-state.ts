/** Normalised power state; providers' own vocabularies are mapped onto it during normalisation. */
export const ASSET_STATES = ['running', 'stopped', 'terminated'] as const;

export type AssetState = (typeof ASSET_STATES)[number];
