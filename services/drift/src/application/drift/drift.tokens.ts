/** DI tokens of the drift engine. */
export const DRIFT_CLOCK = Symbol('DRIFT_CLOCK');
export const DRIFT_READ_MODEL = Symbol('DRIFT_READ_MODEL');
export const DRIFT_ENGINE_SETTINGS = Symbol('DRIFT_ENGINE_SETTINGS');
