/** DI tokens of the image registry's ports. */
export const IMAGE_REGISTRY_STORE = Symbol('images.ImageRegistryStore');
export const SIGNATURE_VERIFIER = Symbol('images.SignatureVerifier');
export const PROMOTION_GATE = Symbol('images.PromotionGate');
export const IMAGE_CLOCK = Symbol('images.Clock');
/** `ImageRegistrySettings`: signature mode and trust configuration. */
export const IMAGE_REGISTRY_SETTINGS = Symbol('images.Settings');
