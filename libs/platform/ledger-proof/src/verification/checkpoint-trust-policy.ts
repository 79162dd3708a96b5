import type { NoteVerifyingKey } from '../checkpoint/signed-note';

/**
 * What an auditor trusts. Any one of the log keys suffices, so a rotation is a period where the old and
 * new keys are both listed; a key that is not listed is unknown and never trusted.
 */
export interface CheckpointTrustPolicy {
  readonly origin: string;
  readonly logKeys: readonly NoteVerifyingKey[];
  readonly witnessKeys?: readonly NoteVerifyingKey[];
  /** How many distinct witness keys must co-sign each checkpoint; 0 when omitted. */
  readonly witnessQuorum?: number;
}
