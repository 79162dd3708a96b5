import { type JsonValue, LedgerError } from '@rf/platform-ledger-proof';
import { EVERY_ORGANISATION, type LedgerRepository } from '../../ports/ledger.repository.port';
import type { PayloadStore } from '../../ports/payload-store.port';
import type { GetAuditBundleQuery } from './get-audit-bundle.query';

export interface AuditBundleEntry {
  readonly index: number;
  readonly leaf: Buffer;
  readonly inclusionProof: { readonly treeSize: number; readonly proof: readonly Buffer[] };
  /** Null when redacted or missing. */
  readonly payload: JsonValue | null;
}

/** The shape auditLedger() takes, less the auditor's own trust policy and saved checkpoints. */
export interface AuditBundle {
  readonly treeSize: number;
  /** The entries served: [fromIndex, toIndex), toIndex at most the head's size. */
  readonly fromIndex: number;
  readonly toIndex: number;
  /** Set when the entries are this organisation's and the platform-wide ones of the range. */
  readonly organisation?: string;
  /** Stored checkpoint notes at the trusted sizes, then the latest one. */
  readonly checkpoints: readonly string[];
  readonly consistencyProofs: readonly { fromSize: number; toSize: number; proof: readonly Buffer[] }[];
  readonly entries: readonly AuditBundleEntry[];
}

/** Entries per bundle; larger ranges are fetched as several bundles. */
export const MAX_AUDIT_BUNDLE_ENTRIES = 100_000;

export class GetAuditBundleHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly payloads: PayloadStore,
  ) {}

  async execute(query: GetAuditBundleQuery): Promise<AuditBundle> {
    const latest = await this.repository.latestCheckpoint();
    if (latest === undefined)
      throw new LedgerError('LEDGER.NO_CHECKPOINT', 'No checkpoint has been published yet');
    const head = latest.treeSize;
    const toIndex = Math.min(query.toIndex, head);
    if (query.fromIndex < 0 || toIndex - query.fromIndex > MAX_AUDIT_BUNDLE_ENTRIES) {
      throw new LedgerError(
        'LEDGER.INVALID_TREE_RANGE',
        `Bad entry range [${query.fromIndex}, ${query.toIndex})`,
        {
          metadata: { fromIndex: query.fromIndex, toIndex: query.toIndex },
        },
      );
    }

    const checkpoints: string[] = [];
    // In ascending order, so the notes read as published: the log's head must only grow.
    for (const size of [...new Set(query.trustedSizes)].sort((a, b) => a - b)) {
      const stored = size === head ? undefined : await this.repository.checkpointAt(size);
      if (stored !== undefined) checkpoints.push(stored.note);
    }
    checkpoints.push(latest.note);

    // Proofs between neighbouring sizes; none can be made to a size the log no longer reaches.
    const sizes = [...new Set([...query.trustedSizes, head])].sort((a, b) => a - b);
    const consistencyProofs = [];
    for (let i = 1; i < sizes.length; i += 1) {
      const [fromSize, toSize] = [sizes[i - 1] as number, sizes[i] as number];
      if (toSize > head || fromSize === 0) continue;
      consistencyProofs.push({
        fromSize,
        toSize,
        proof: await this.repository.consistencyProof(fromSize, toSize),
      });
    }

    const entries =
      query.fromIndex >= toIndex ? [] : await this.repository.entries(query.fromIndex, toIndex, query.scope);
    const payloads = await this.payloads.getMany(entries.map((e) => e.payloadRef));
    const proofs = await this.repository.inclusionProofs(
      entries.map((e) => e.index),
      head,
    );
    const bundleEntries: AuditBundleEntry[] = entries.map((entry, i) => ({
      index: entry.index,
      leaf: entry.leaf,
      inclusionProof: { treeSize: head, proof: proofs[i] ?? [] },
      payload: payloads.get(entry.payloadRef)?.content ?? null,
    }));
    return {
      treeSize: head,
      fromIndex: query.fromIndex,
      toIndex: Math.max(query.fromIndex, toIndex),
      ...(query.scope === EVERY_ORGANISATION ? {} : { organisation: query.scope.organisation }),
      checkpoints,
      consistencyProofs,
      entries: bundleEntries,
    };
  }
}
