import type { JsonValue } from '@rf/platform-ledger-proof';

/** An event to keep as evidence: the CloudEvents attributes the leaf commits to, and its payload. */
export interface EvidenceEvent {
  readonly eventId: string;
  readonly type: string;
  readonly subject: string | null;
  /** RFC 3339. */
  readonly time: string;
  readonly payload: JsonValue;
  /** The event's organisation (`ce_organisation`); null for a platform-wide event. */
  readonly organisation: string | null;
}

/** Appends the events in the order given; an event already in the log is not appended again. */
export class AppendEntriesCommand {
  constructor(readonly events: readonly EvidenceEvent[]) {}
}
