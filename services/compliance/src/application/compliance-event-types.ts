import type { EventType } from '@rf/contracts';

const T = 'io.resiliencefabric.';

export const ASSET_DISCOVERED = `${T}asset.discovered.v1` satisfies EventType;
export const ASSET_UPDATED = `${T}asset.updated.v1` satisfies EventType;
export const ASSET_REMOVED = `${T}asset.removed.v1` satisfies EventType;
export const IMAGE_PUBLISHED = `${T}image.published.v1` satisfies EventType;
export const IMAGE_REVOKED = `${T}image.revoked.v1` satisfies EventType;
export const DRIFT_DETECTED = `${T}drift.detected.v1` satisfies EventType;
export const DRIFT_RESOLVED = `${T}drift.resolved.v1` satisfies EventType;
export const DRIFT_SNAPSHOT = `${T}drift.snapshot.v1` satisfies EventType;
export const BACKUP_COMPLETED = `${T}backup.completed.v1` satisfies EventType;
export const RESTORE_COMPLETED = `${T}restore.completed.v1` satisfies EventType;
export const DRILL_COMPLETED = `${T}drill.completed.v1` satisfies EventType;
export const EVIDENCE_APPENDED = `${T}evidence.appended.v1` satisfies EventType;
export const COMPLIANCE_SCORED = `${T}compliance.scored.v1` satisfies EventType;

/** Everything compliance scores from, and the ledger's announcements that link events to their entries. */
export const COMPLIANCE_INPUT_EVENT_TYPES = [
  ASSET_DISCOVERED,
  ASSET_UPDATED,
  ASSET_REMOVED,
  IMAGE_PUBLISHED,
  IMAGE_REVOKED,
  DRIFT_DETECTED,
  DRIFT_RESOLVED,
  DRIFT_SNAPSHOT,
  BACKUP_COMPLETED,
  RESTORE_COMPLETED,
  DRILL_COMPLETED,
  EVIDENCE_APPENDED,
] as const satisfies readonly EventType[];
export type ComplianceInputEventType = (typeof COMPLIANCE_INPUT_EVENT_TYPES)[number];
