/** Everything the ledger holds as evidence for one environment over a time window, as a verifiable pack. */
export class GenerateEvidencePackQuery {
  constructor(
    /** Entries appended at or after this instant… */
    readonly from: Date,
    /** …and before this one. */
    readonly to: Date,
    readonly environment: string,
    /** The organisation the pack is for: its entries and the platform-wide ones, never another's. */
    readonly organisation: string,
    /**
     * The requester's principal signed for the drift service (the gateway's delegated token), which
     * SBOMs and drift reports are read with; without it those sections say they were refused.
     */
    readonly driftCredential?: string,
  ) {}
}
