import type { JsonValue } from '@rf/platform-canonical-json';
import type { Checkpoint } from '../checkpoint/checkpoint';
import { decodeLeaf, payloadHashOf } from '../entry/ledger-leaf';
import { LedgerError } from '../ledger.error';
import { CompactRange } from '../merkle/compact-range';
import { verifyConsistency, verifyInclusion } from '../merkle/merkle-proof.verifier';
import { hashLeaf, sameHash } from '../merkle/rfc6962.hasher';
import type { CheckpointTrustPolicy } from './checkpoint-trust-policy';
import { verifyCheckpointNote } from './checkpoint-verification';
import type { VerificationFinding } from './verification-finding';

export interface AuditInclusionProof {
  readonly treeSize: number;
  readonly proof: readonly Uint8Array[];
}

export interface AuditEntry {
  readonly index: number;
  readonly leaf: Uint8Array;
  readonly inclusionProof?: AuditInclusionProof;
  /** The payload as served: null when it was redacted; leave it out to skip the payload check. */
  readonly payload?: JsonValue | null;
}

export interface AuditConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly proof: readonly Uint8Array[];
}

export interface LedgerAuditInput {
  readonly policy: CheckpointTrustPolicy;
  /** Checkpoint notes the auditor saved earlier; the log must never fall behind or away from them. */
  readonly trustedCheckpoints?: readonly string[];
  /** Checkpoint notes the log serves now, in publication order; the last is its current head. */
  readonly checkpoints: readonly string[];
  readonly consistencyProofs?: readonly AuditConsistencyProof[];
  /** Entries in index order, each with an optional inclusion proof and payload. */
  readonly entries?: readonly AuditEntry[];
  /** The entries claim to be the whole log from index 0: replay them and compare every root. */
  readonly completeLog?: boolean;
}

export interface AuditReport {
  /** True when no finding is an error. */
  readonly ok: boolean;
  readonly findings: readonly VerificationFinding[];
  /** The largest verified checkpoint reached, by size, before the chain of consistency proofs broke. */
  readonly head: Checkpoint | undefined;
  readonly checkpointsVerified: number;
  readonly consistencyProofsVerified: number;
  readonly inclusionProofsVerified: number;
  readonly entriesReplayed: number;
}

interface VerifiedCheckpoint {
  readonly label: string;
  readonly trusted: boolean;
  readonly checkpoint: Checkpoint;
}

function message(error: unknown): string {
  return error instanceof LedgerError ? error.message : String(error);
}

/**
 * Audits a log offline from what it served, using nothing but the trusted keys and checkpoints saved
 * earlier. Pure: it reads only its input and reports every problem it finds rather than stopping at one.
 */
export function auditLedger(input: LedgerAuditInput): AuditReport {
  const findings: VerificationFinding[] = [];
  const verified: VerifiedCheckpoint[] = [];
  const collect = (notes: readonly string[], prefix: string, trusted: boolean): VerifiedCheckpoint[] =>
    notes.flatMap((note, i) => {
      const label = `${prefix}[${i}]`;
      const result = verifyCheckpointNote(note, input.policy, label);
      findings.push(...result.findings);
      return result.checkpoint === undefined ? [] : [{ label, trusted, checkpoint: result.checkpoint }];
    });
  const trusted = collect(input.trustedCheckpoints ?? [], 'trusted', true);
  const served = collect(input.checkpoints, 'checkpoints', false);
  verified.push(...trusted, ...served);

  // The head must never move backwards: served checkpoints grow in publication order, and the newest
  // is at least as large as every checkpoint the auditor saved before.
  const rollback = (current: VerifiedCheckpoint, than: VerifiedCheckpoint): void => {
    findings.push({
      severity: 'error',
      code: 'LOG_ROLLBACK',
      message:
        `${current.label} has tree size ${current.checkpoint.size}, below the ${than.checkpoint.size} ` +
        `of ${than.label}: the log was rewound or serves a stale view`,
      checkpoint: current.label,
      treeSize: current.checkpoint.size,
    });
  };
  served.forEach((current, i) => {
    const previous = served[i - 1];
    if (previous !== undefined && current.checkpoint.size < previous.checkpoint.size)
      rollback(current, previous);
  });
  const newest = served.at(-1);
  const largestTrusted = trusted.reduce<VerifiedCheckpoint | undefined>(
    (best, t) => (best === undefined || t.checkpoint.size > best.checkpoint.size ? t : best),
    undefined,
  );
  if (
    newest !== undefined &&
    largestTrusted !== undefined &&
    newest.checkpoint.size < largestTrusted.checkpoint.size
  ) {
    rollback(newest, largestTrusted);
  }

  // Every pair of neighbouring sizes must be linked by a valid consistency proof.
  const bySize = [...verified].sort((a, b) => a.checkpoint.size - b.checkpoint.size);
  const proofs = input.consistencyProofs ?? [];
  let consistencyProofsVerified = 0;
  let head: Checkpoint | undefined;
  let broken = false;
  for (let i = 0; i < bySize.length; i += 1) {
    const current = bySize[i] as VerifiedCheckpoint;
    const previous = bySize[i - 1];
    if (previous !== undefined) {
      const a = previous.checkpoint;
      const b = current.checkpoint;
      if (a.size === b.size) {
        if (!sameHash(a.rootHash, b.rootHash)) {
          broken = true;
          findings.push({
            severity: 'error',
            code: 'LOG_FORK',
            message: `${previous.label} and ${current.label} both have size ${a.size} but different roots`,
            checkpoint: current.label,
            treeSize: b.size,
          });
        }
      } else {
        const proof = proofs.find((p) => p.fromSize === a.size && p.toSize === b.size);
        if (proof === undefined) {
          broken = true;
          findings.push({
            severity: 'error',
            code: 'CONSISTENCY_PROOF_MISSING',
            message: `no consistency proof from size ${a.size} (${previous.label}) to ${b.size} (${current.label})`,
            checkpoint: current.label,
            treeSize: b.size,
          });
        } else {
          const check = verifyConsistency(a.size, b.size, a.rootHash, b.rootHash, proof.proof);
          if (check.valid) consistencyProofsVerified += 1;
          else {
            broken = true;
            findings.push({
              severity: 'error',
              code: 'LOG_FORK',
              message:
                `the tree of ${current.label} (size ${b.size}) does not extend that of ${previous.label} ` +
                `(size ${a.size}): ${check.reason}`,
              checkpoint: current.label,
              treeSize: b.size,
            });
          }
        }
      }
    }
    if (!broken) head = current.checkpoint;
  }

  const entryFindings = auditEntries(input, verified);
  findings.push(...entryFindings.findings);
  return {
    ok: !findings.some((f) => f.severity === 'error'),
    findings,
    head,
    checkpointsVerified: verified.length,
    consistencyProofsVerified,
    inclusionProofsVerified: entryFindings.inclusionProofsVerified,
    entriesReplayed: entryFindings.entriesReplayed,
  };
}

function auditEntries(
  input: LedgerAuditInput,
  verified: readonly VerifiedCheckpoint[],
): { findings: VerificationFinding[]; inclusionProofsVerified: number; entriesReplayed: number } {
  const findings: VerificationFinding[] = [];
  const entries = input.entries ?? [];
  let inclusionProofsVerified = 0;

  entries.forEach((entry, position) => {
    const previous = entries[position - 1];
    if (previous !== undefined && entry.index <= previous.index) {
      findings.push({
        severity: 'error',
        code: 'ENTRY_OUT_OF_ORDER',
        message: `entry ${entry.index} comes after entry ${previous.index}`,
        entryIndex: entry.index,
      });
    }
    try {
      const content = decodeLeaf(entry.leaf);
      if (entry.payload === null) {
        findings.push({
          severity: 'info',
          code: 'PAYLOAD_REDACTED',
          message: `the payload of entry ${entry.index} was redacted`,
          entryIndex: entry.index,
        });
      } else if (entry.payload !== undefined && payloadHashOf(entry.payload) !== content.payloadHash) {
        findings.push({
          severity: 'error',
          code: 'PAYLOAD_HASH_MISMATCH',
          message: `the payload of entry ${entry.index} does not match its leaf's payloadHash`,
          entryIndex: entry.index,
        });
      }
    } catch (error: unknown) {
      findings.push({
        severity: 'error',
        code: 'LEAF_MALFORMED',
        message: message(error),
        entryIndex: entry.index,
      });
    }
    const inclusion = entry.inclusionProof;
    if (inclusion === undefined) return;
    const anchor = verified.find((v) => v.checkpoint.size === inclusion.treeSize);
    if (anchor === undefined) {
      findings.push({
        severity: 'error',
        code: 'INCLUSION_PROOF_UNANCHORED',
        message: `entry ${entry.index} is proven against size ${inclusion.treeSize}, which no verified checkpoint has`,
        entryIndex: entry.index,
        treeSize: inclusion.treeSize,
      });
      return;
    }
    const check = verifyInclusion(
      entry.index,
      inclusion.treeSize,
      hashLeaf(entry.leaf),
      inclusion.proof,
      anchor.checkpoint.rootHash,
    );
    if (check.valid) inclusionProofsVerified += 1;
    else {
      findings.push({
        severity: 'error',
        code: 'INCLUSION_PROOF_INVALID',
        message: `entry ${entry.index} is not in the tree of ${anchor.label} (size ${inclusion.treeSize}): ${check.reason}`,
        entryIndex: entry.index,
        treeSize: inclusion.treeSize,
        checkpoint: anchor.label,
      });
    }
  });

  const entriesReplayed = input.completeLog === true ? replay(entries, verified, findings) : 0;
  return { findings, inclusionProofsVerified, entriesReplayed };
}

/** Rebuilds the tree from index 0 and compares its root at every verified checkpoint size. */
function replay(
  entries: readonly AuditEntry[],
  verified: readonly VerifiedCheckpoint[],
  findings: VerificationFinding[],
): number {
  const bySize = new Map<number, VerifiedCheckpoint[]>();
  for (const v of verified) bySize.set(v.checkpoint.size, [...(bySize.get(v.checkpoint.size) ?? []), v]);
  const compareAt = (size: number, root: Buffer): void => {
    for (const v of bySize.get(size) ?? []) {
      if (!sameHash(root, v.checkpoint.rootHash)) {
        findings.push({
          severity: 'error',
          code: 'ROOT_MISMATCH',
          message: `the first ${size} entries do not hash to the root of ${v.label}`,
          checkpoint: v.label,
          treeSize: size,
        });
      }
    }
  };
  const tree = CompactRange.empty();
  compareAt(0, tree.root());
  // Delivery order is reported separately (ENTRY_OUT_OF_ORDER); the replay follows the indexes.
  const inIndexOrder = [...entries].sort((a, b) => a.index - b.index);
  for (const entry of inIndexOrder) {
    if (entry.index < tree.treeSize) continue;
    if (entry.index !== tree.treeSize) {
      findings.push({
        severity: 'error',
        code: 'ENTRY_INDEX_GAP',
        message: `entries ${tree.treeSize} to ${entry.index - 1} are missing from the log`,
        entryIndex: tree.treeSize,
      });
      break;
    }
    tree.append(hashLeaf(entry.leaf));
    if (bySize.has(tree.treeSize)) compareAt(tree.treeSize, tree.root());
  }
  const covered = Math.max(0, ...verified.map((v) => v.checkpoint.size));
  if (tree.treeSize < covered) {
    findings.push({
      severity: 'error',
      code: 'LOG_TRUNCATED',
      message: `only ${tree.treeSize} entries replay in order, but a verified checkpoint covers ${covered}`,
      treeSize: covered,
    });
  }
  return tree.treeSize;
}
