/** The RequestAuthenticator a service's AuthGuard uses. */
export const REQUEST_AUTHENTICATOR = Symbol('REQUEST_AUTHENTICATOR');
/** Optional RequestRateLimits applied by the AuthGuard after authentication. */
export const REQUEST_RATE_LIMITS = Symbol('REQUEST_RATE_LIMITS');
/** The ApiKeyRegistry of the service that issues keys (the gateway). */
export const API_KEY_REGISTRY = Symbol('API_KEY_REGISTRY');
