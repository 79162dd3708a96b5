/** Everything the ledger holds as evidence for one environment over a time window, as a verifiable pack. */
export class GenerateEvidencePackQuery {
  constructor(
    /** Entries appended at or after this instant… */
    readonly from: Date,
    /** …and before this one. */
    readonly to: Date,
    readonly environment: string,
  ) {}
}
