/** Channels a golden-image version moves through, in order; a new version enters `dev`. */
export const IMAGE_CHANNELS = ['dev', 'staging', 'prod'] as const;
export type ImageChannel = (typeof IMAGE_CHANNELS)[number];

export function isImageChannel(value: unknown): value is ImageChannel {
  return typeof value === 'string' && (IMAGE_CHANNELS as readonly string[]).includes(value);
}

/** The channel after `channel`, or undefined from `prod`: promotion goes one step at a time. */
export function nextChannel(channel: ImageChannel): ImageChannel | undefined {
  return IMAGE_CHANNELS[IMAGE_CHANNELS.indexOf(channel) + 1];
}

export function channelRank(channel: ImageChannel): number {
  return IMAGE_CHANNELS.indexOf(channel);
}
