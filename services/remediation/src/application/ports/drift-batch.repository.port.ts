import type { DriftBatchKey, DriftBatchMember } from '../../domain/plan/drift-batch';

export interface DriftBatchRecord extends DriftBatchKey {
  readonly id: string;
  readonly firstEventId: string;
  readonly openedAt: Date;
  readonly closesAt: Date;
}

export interface DriftAdmission extends DriftBatchMember {
  readonly driftId: string;
  readonly eventId: string;
}

/** Open drift batches and their members; every call joins the caller's transaction. */
export interface DriftBatchRepository {
  /** Serialises admissions to one key for the rest of the transaction. */
  lockKey(key: DriftBatchKey): Promise<void>;
  /** The open batch of the key still accepting drift at `at`, locked for the transaction. */
  openBatch(key: DriftBatchKey, at: Date): Promise<DriftBatchRecord | undefined>;
  insertBatch(batch: DriftBatchRecord): Promise<void>;
  /** Adds the asset, or merges its drift into the one already there (revoked wins, oldest age). */
  admit(batchId: string, member: DriftAdmission, at: Date): Promise<void>;
  /** The oldest open batch whose window has passed, locked; batches another closer holds, and `skip`, are skipped. */
  nextDue(at: Date, skip: readonly string[]): Promise<DriftBatchRecord | undefined>;
  members(batchId: string): Promise<DriftAdmission[]>;
  /** Assets of the set that belong to an unfinished plan of the organisation. */
  heldTargets(organisation: string, assetIds: readonly string[]): Promise<string[]>;
  close(
    batchId: string,
    outcome: { readonly planId: string | null; readonly detail: string },
    dispositions: ReadonlyMap<string, 'planned' | 'locked' | 'cooling_down'>,
    at: Date,
  ): Promise<void>;
}
