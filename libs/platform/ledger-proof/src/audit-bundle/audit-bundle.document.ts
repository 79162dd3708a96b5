import type { JsonValue } from '@rf/platform-canonical-json';
import { z } from 'zod';
import { decodeStrictBase64 } from '../checkpoint/note-key';
import { LedgerError } from '../ledger.error';
import type { AuditConsistencyProof, AuditEntry } from '../verification/ledger-audit';

/** The `format` of every bundle document; a reader refuses any other. */
export const AUDIT_BUNDLE_FORMAT = 'rf-ledger-audit-bundle/v1';

/**
 * What a log serves an auditor for entries [fromIndex, toIndex): its checkpoints (trusted sizes first,
 * its head last), consistency proofs linking them, and the entries with inclusion proofs and payloads.
 */
export interface AuditBundle {
  /** The size of the log's head checkpoint. */
  readonly treeSize: number;
  readonly fromIndex: number;
  readonly toIndex: number;
  /**
   * Set when the entries are one organisation's (and the platform-wide ones) of [fromIndex, toIndex):
   * another organisation's entries are left out, and the bundle is then not the whole log.
   */
  readonly organisation?: string;
  readonly checkpoints: readonly string[];
  readonly consistencyProofs: readonly AuditConsistencyProof[];
  readonly entries: readonly AuditEntry[];
}

/**
 * The bundle as JSON, the form the API serves and `rf ledger verify` reads: hashes in lower-case hex,
 * leaves (canonical JSON octets) in base64, payloads as JSON (null when redacted or lost).
 */
export interface AuditBundleDocument {
  readonly format: typeof AUDIT_BUNDLE_FORMAT;
  readonly treeSize: number;
  readonly fromIndex: number;
  readonly toIndex: number;
  /** The entries claim to be the whole log: they start at 0, reach the head and leave none out. */
  readonly complete: boolean;
  /** The organisation whose entries (and the platform-wide ones) the bundle holds, when it is one's. */
  readonly organisation?: string;
  readonly checkpoints: readonly string[];
  readonly consistencyProofs: readonly {
    readonly fromSize: number;
    readonly toSize: number;
    readonly proof: readonly string[];
  }[];
  readonly entries: readonly {
    readonly index: number;
    readonly leaf: string;
    readonly inclusionProof?: { readonly treeSize: number; readonly proof: readonly string[] };
    readonly payload?: JsonValue | null;
  }[];
}

const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((h) => Buffer.from(h).toString('hex'));

export function encodeAuditBundle(bundle: AuditBundle): AuditBundleDocument {
  return {
    format: AUDIT_BUNDLE_FORMAT,
    treeSize: bundle.treeSize,
    fromIndex: bundle.fromIndex,
    toIndex: bundle.toIndex,
    // One organisation's bundle is complete only when no entry of the range was left out.
    complete:
      bundle.fromIndex === 0 &&
      bundle.toIndex >= bundle.treeSize &&
      (bundle.organisation === undefined || bundle.entries.length === bundle.toIndex - bundle.fromIndex),
    ...(bundle.organisation === undefined ? {} : { organisation: bundle.organisation }),
    checkpoints: bundle.checkpoints,
    consistencyProofs: bundle.consistencyProofs.map((p) => ({
      fromSize: p.fromSize,
      toSize: p.toSize,
      proof: hex(p.proof),
    })),
    entries: bundle.entries.map((entry) => ({
      index: entry.index,
      leaf: Buffer.from(entry.leaf).toString('base64'),
      ...(entry.inclusionProof === undefined
        ? {}
        : {
            inclusionProof: {
              treeSize: entry.inclusionProof.treeSize,
              proof: hex(entry.inclusionProof.proof),
            },
          }),
      ...(entry.payload === undefined ? {} : { payload: entry.payload }),
    })),
  };
}

const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const hash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const proof = z.array(hash).max(128);

const DOCUMENT = z.object({
  format: z.literal(AUDIT_BUNDLE_FORMAT),
  treeSize: size,
  fromIndex: size,
  toIndex: size,
  complete: z.boolean(),
  organisation: z.string().optional(),
  checkpoints: z.array(z.string()),
  consistencyProofs: z.array(z.object({ fromSize: size, toSize: size, proof })),
  entries: z.array(
    z.object({
      index: size,
      leaf: z.string(),
      inclusionProof: z.object({ treeSize: size, proof }).optional(),
      // Parsed from JSON, so it is JSON; the audit hashes it canonically.
      payload: z.unknown().optional(),
    }),
  ),
});

export interface DecodedAuditBundle extends AuditBundle {
  readonly complete: boolean;
}

function malformed(problems: readonly string[]): never {
  throw new LedgerError('LEDGER.MALFORMED_AUDIT_BUNDLE', `Malformed audit bundle: ${problems.join('; ')}`, {
    metadata: { problems: problems.length },
  });
}

/** Reads a bundle document (already parsed from JSON), refusing anything not exactly of its shape. */
export function decodeAuditBundle(document: unknown): DecodedAuditBundle {
  const result = DOCUMENT.safeParse(document);
  if (!result.success) {
    malformed(result.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const d = result.data;
  const fromHex = (hashes: readonly string[]): Buffer[] => hashes.map((h) => Buffer.from(h, 'hex'));
  const entries = d.entries.map((entry, i): AuditEntry => {
    const leaf = decodeStrictBase64(entry.leaf);
    if (leaf === undefined) malformed([`entries.${i}.leaf: must be standard base64`]);
    return {
      index: entry.index,
      leaf,
      ...(entry.inclusionProof === undefined
        ? {}
        : {
            inclusionProof: {
              treeSize: entry.inclusionProof.treeSize,
              proof: fromHex(entry.inclusionProof.proof),
            },
          }),
      ...(entry.payload === undefined ? {} : { payload: entry.payload as JsonValue | null }),
    };
  });
  return {
    treeSize: d.treeSize,
    fromIndex: d.fromIndex,
    toIndex: d.toIndex,
    complete: d.complete,
    ...(d.organisation === undefined ? {} : { organisation: d.organisation }),
    checkpoints: d.checkpoints,
    consistencyProofs: d.consistencyProofs.map((p) => ({
      fromSize: p.fromSize,
      toSize: p.toSize,
      proof: fromHex(p.proof),
    })),
    entries,
  };
}
