import type { JsonValue, LeafContent } from '@rf/platform-ledger-proof';
import type { StoredCheckpoint } from '../application/ports/ledger.repository.port';
import type { ConsistencyProofView } from '../application/queries/get-consistency-proof/get-consistency-proof.handler';
import type { EntryView, PayloadState } from '../application/queries/get-entry/get-entry.handler';
import type { InclusionProofView } from '../application/queries/get-inclusion-proof/get-inclusion-proof.handler';

// JSON forms of the API: hashes in lower-case hex, as in evidence.appended; leaf octets in base64;
// signed notes verbatim.

const hex = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

export interface CheckpointResponse {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly signedAt: string;
  /** The C2SP signed note, exactly as served at text/plain, with any witness co-signatures after the log's. */
  readonly note: string;
  /** Witness keys (`name+id`) that co-signed it. */
  readonly cosignedBy: readonly string[];
}

export function checkpointResponse(
  checkpoint: StoredCheckpoint & { readonly cosignedBy?: readonly string[] },
): CheckpointResponse {
  return {
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash.toString('hex'),
    signedAt: checkpoint.signedAt.toISOString(),
    note: checkpoint.note,
    cosignedBy: [...(checkpoint.cosignedBy ?? [])],
  };
}

export interface EntryResponse {
  readonly index: number;
  readonly leaf: string;
  readonly leafHash: string;
  readonly content: LeafContent;
  readonly appendedAt: string;
  readonly payload: JsonValue | null;
  readonly payloadState: PayloadState;
  readonly redactedAt: string | null;
  readonly redactionReason: string | null;
}

export function entryResponse(view: EntryView): EntryResponse {
  return {
    index: view.index,
    leaf: view.leaf.toString('base64'),
    leafHash: view.leafHash.toString('hex'),
    content: view.content,
    appendedAt: view.appendedAt.toISOString(),
    payload: view.payload,
    payloadState: view.payloadState,
    redactedAt: view.redactedAt?.toISOString() ?? null,
    redactionReason: view.redactionReason,
  };
}

export interface InclusionProofResponse {
  readonly index: number;
  readonly eventId: string;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly proof: readonly string[];
  /** The signed checkpoint at treeSize, when there is one. */
  readonly checkpoint: string | null;
}

export function inclusionProofResponse(view: InclusionProofView): InclusionProofResponse {
  return {
    index: view.index,
    eventId: view.eventId,
    treeSize: view.treeSize,
    leafHash: view.leafHash.toString('hex'),
    proof: hex(view.proof),
    checkpoint: view.checkpoint ?? null,
  };
}

export interface ConsistencyProofResponse {
  readonly first: number;
  readonly second: number;
  readonly proof: readonly string[];
  readonly firstCheckpoint: string | null;
  readonly secondCheckpoint: string | null;
}

export function consistencyProofResponse(view: ConsistencyProofView): ConsistencyProofResponse {
  return {
    first: view.fromSize,
    second: view.toSize,
    proof: hex(view.proof),
    firstCheckpoint: view.fromCheckpoint ?? null,
    secondCheckpoint: view.toCheckpoint ?? null,
  };
}
