/** DI tokens of the inventory's ports. */
export const INVENTORY_UNIT_OF_WORK = Symbol('inventory.InventoryUnitOfWork');
export const SCAN_LOCK = Symbol('inventory.ScanLock');
export const CLOCK = Symbol('inventory.Clock');
/** `RemovalPolicy`: how many missed scans remove an asset. */
export const REMOVAL_POLICY = Symbol('inventory.RemovalPolicy');
