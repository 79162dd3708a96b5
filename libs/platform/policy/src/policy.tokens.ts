/** The PolicyGate a service decides with. */
export const POLICY_GATE = Symbol('POLICY_GATE');
/** The BundleFileWatcher that hot-reloads the gate's bundle. */
export const POLICY_BUNDLE_WATCHER = Symbol('POLICY_BUNDLE_WATCHER');
/** PolicyModuleOptions, as resolved by forRootAsync. */
export const POLICY_MODULE_OPTIONS = Symbol('POLICY_MODULE_OPTIONS');
