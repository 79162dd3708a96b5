/** DI tokens of the ledger's ports. */
export const LEDGER_REPOSITORY = Symbol('ledger.LedgerRepository');
export const PAYLOAD_STORE = Symbol('ledger.PayloadStore');
/** `readonly CheckpointSigner[]`: the log key first, then any co-signers. */
export const CHECKPOINT_SIGNERS = Symbol('ledger.CheckpointSigners');
export const CLOCK = Symbol('ledger.Clock');
/** `string`: the checkpoint origin line, e.g. `ledger.resiliencefabric.io/evidence`. */
export const LEDGER_ORIGIN = Symbol('ledger.Origin');
/** `readonly string[]`: the public vkeys of the keys that sign checkpoints. */
export const LEDGER_VKEYS = Symbol('ledger.Vkeys');
export const WORKFLOW_HISTORY_SOURCE = Symbol('ledger.WorkflowHistorySource');
export const DRIFT_EVIDENCE_SOURCE = Symbol('ledger.DriftEvidenceSource');
export const COSIGNATURE_STORE = Symbol('ledger.CosignatureStore');
/** `readonly NoteVerifyingKey[]`: the witnesses whose co-signatures the ledger accepts. */
export const WITNESS_KEYS = Symbol('ledger.WitnessKeys');
