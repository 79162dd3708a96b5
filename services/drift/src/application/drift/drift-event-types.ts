/** The events the drift engine reads and writes. */
export const ASSET_DISCOVERED = 'io.resiliencefabric.asset.discovered.v1';
export const ASSET_UPDATED = 'io.resiliencefabric.asset.updated.v1';
export const ASSET_REMOVED = 'io.resiliencefabric.asset.removed.v1';
export const IMAGE_PUBLISHED = 'io.resiliencefabric.image.published.v1';
export const IMAGE_PROMOTED = 'io.resiliencefabric.image.promoted.v1';
export const IMAGE_REVOKED = 'io.resiliencefabric.image.revoked.v1';
export const REMEDIATION_PLANNED = 'io.resiliencefabric.remediation.planned.v1';
export const REMEDIATION_ROLLED_BACK = 'io.resiliencefabric.remediation.rolled_back.v1';
export const DRIFT_DETECTED = 'io.resiliencefabric.drift.detected.v1';
export const DRIFT_RESOLVED = 'io.resiliencefabric.drift.resolved.v1';
export const DRIFT_SNAPSHOT = 'io.resiliencefabric.drift.snapshot.v1';

/** Environment of assets whose inventory record names none. */
export const UNASSIGNED_ENVIRONMENT = 'unassigned';
