import { SetMetadata } from '@nestjs/common';

export const AUTHENTICATED_METADATA = Symbol('rf:auth:authenticated');

/**
 * A route any authenticated caller may use, acting on nothing but the caller itself (`/me`): it is
 * authenticated and rate-limited, and asks no policy because there is no resource to decide on.
 */
export function Authenticated(): MethodDecorator & ClassDecorator {
  return SetMetadata<symbol, boolean>(AUTHENTICATED_METADATA, true);
}
