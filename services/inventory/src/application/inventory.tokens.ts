/** DI tokens of the inventory's ports. */
export const INVENTORY_UNIT_OF_WORK = Symbol('inventory.InventoryUnitOfWork');
export const SCAN_LOCK = Symbol('inventory.ScanLock');
export const CLOCK = Symbol('inventory.Clock');
/** `RemovalPolicy`: how many missed scans remove an asset. */
export const REMOVAL_POLICY = Symbol('inventory.RemovalPolicy');
export const CONNECTOR_CONFIGURATIONS = Symbol('inventory.ConnectorConfigurationRepository');
export const CREDENTIAL_RESOLVER = Symbol('inventory.CredentialResolver');
export const ASSET_CATALOGUE = Symbol('inventory.AssetCatalogue');
export const SCAN_HISTORY = Symbol('inventory.ScanHistory');
/** `ConnectorKindRegistry`: the connector kinds this build can configure. */
export const CONNECTOR_KINDS = Symbol('inventory.ConnectorKinds');
/** `InventorySettings` of the service config. */
export const INVENTORY_SETTINGS = Symbol('inventory.Settings');
