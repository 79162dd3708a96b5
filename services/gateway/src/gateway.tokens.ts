/** The UpstreamProxy forwarding routed requests. */
export const UPSTREAM_PROXY = Symbol('UPSTREAM_PROXY');
/** The gateway's settings (GatewaySettings). */
export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
