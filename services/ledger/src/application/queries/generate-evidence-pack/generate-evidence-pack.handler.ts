import {
  buildEvidencePack,
  environmentOf,
  type EvidencePack,
  type EvidencePackSourceEntry,
  type FetchedDocumentOutcome,
  imageVersionIdsOf,
  type WorkflowHistoryOutcome,
  workflowIdsOf,
} from '@rf/platform-evidence-pack';
import {
  decodeLeaf,
  type JsonValue,
  LedgerError,
  parseCheckpoint,
  parseSignedNote,
} from '@rf/platform-ledger-proof';
import type { LedgerEntry } from '../../../domain/entry/ledger-entry';
import { withCosignatures } from '../../cosigned-note';
import type { CosignatureStore } from '../../ports/cosignature-store.port';
import type { DriftEvidenceSource } from '../../ports/drift-evidence-source.port';
import type { LedgerRepository } from '../../ports/ledger.repository.port';
import type { PayloadStore, StoredPayload } from '../../ports/payload-store.port';
import type { WorkflowHistorySource } from '../../ports/workflow-history-source.port';
import type { GenerateEvidencePackQuery } from './generate-evidence-pack.query';

/** Entries per pack; a longer window is asked for as several packs. */
export const MAX_EVIDENCE_PACK_ENTRIES = 100_000;
/** Workflow histories fetched at once. */
const HISTORY_CONCURRENCY = 4;

const REMEDIATION_PLANNED = 'io.resiliencefabric.remediation.planned.v1';
const IMAGE_PUBLISHED = 'io.resiliencefabric.image.published.v1';
const PAYLOAD_REF_PREFIX = 'payloads/';

interface SelectedEntry {
  readonly entry: LedgerEntry;
  readonly state: 'present' | 'redacted' | 'missing';
  readonly content: JsonValue | null;
}

export const EVIDENCE_PACK_SELECTION =
  "Entries of the pack's organisation, and platform-wide ones, appended to the ledger in [from, to) and " +
  'covered by the checkpoint; no entry of another organisation is ever included. An entry belongs to the ' +
  'environment when its payload names it, or when it carries the planId of a remediation planned for it ' +
  'in the window; entries naming no environment (policy decisions, images, backups, drills, scores) are ' +
  'organisation-wide and included; entries of other environments are left out. The image.published entry ' +
  'of each image version these entries name is included too, even from before the window, because it ' +
  'pins the SBOM document in the pack.';

export const DRIFT_REPORTS_ABSENT =
  'No drift service is configured for the ledger (RF_LEDGER_DRIFT_URL), so neither drift reports nor ' +
  'SBOM documents could be read; drift appears here only through compliance scores.';
/** SBOMs fetched at once. */
const SBOM_CONCURRENCY = 4;

function planIdOf(payload: JsonValue | null): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const id = (payload as { readonly [key: string]: JsonValue })['planId'];
  return typeof id === 'string' ? id : null;
}

function withPayload(entry: LedgerEntry, stored: ReadonlyMap<string, StoredPayload>): SelectedEntry {
  const payload = stored.get(entry.payloadRef);
  const state: SelectedEntry['state'] =
    payload === undefined ? 'missing' : payload.redactedAt !== null ? 'redacted' : 'present';
  return { entry, state, content: state === 'present' ? (payload?.content ?? null) : null };
}

function imageVersionIdOf(payload: JsonValue | null): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const id = (payload as { readonly [key: string]: JsonValue })['imageVersionId'];
  return typeof id === 'string' ? id : null;
}

export class GenerateEvidencePackHandler {
  constructor(
    private readonly repository: LedgerRepository,
    private readonly payloads: PayloadStore,
    private readonly histories: WorkflowHistorySource,
    private readonly cosignatures: CosignatureStore,
    private readonly vkeys: readonly string[],
    /** Undefined when no drift service is configured: SBOMs and drift reports are then absent. */
    private readonly drift: DriftEvidenceSource | undefined,
  ) {}

  async execute(query: GenerateEvidencePackQuery): Promise<EvidencePack> {
    if (!(query.from.getTime() < query.to.getTime())) {
      throw new LedgerError('LEDGER.INVALID_REQUEST', 'Invalid request: from must be before to');
    }
    const latest = await this.repository.latestCheckpoint();
    if (latest === undefined)
      throw new LedgerError('LEDGER.NO_CHECKPOINT', 'No checkpoint has been published yet');
    const head = latest.treeSize;

    const scope = { organisation: query.organisation };
    const inWindow = await this.repository.entriesAppendedBetween(
      query.from,
      query.to,
      head,
      MAX_EVIDENCE_PACK_ENTRIES + 1,
      scope,
    );
    if (inWindow.length > MAX_EVIDENCE_PACK_ENTRIES) {
      throw new LedgerError(
        'LEDGER.INVALID_TREE_RANGE',
        `More than ${MAX_EVIDENCE_PACK_ENTRIES} entries in the window; ask for shorter windows`,
        { metadata: { from: query.from.toISOString(), to: query.to.toISOString() } },
      );
    }
    const pending = await this.repository.countAppendedBetween(query.from, query.to, head, scope);
    const stored = await this.payloads.getMany(inWindow.map((e) => e.payloadRef));
    const withPayloads = inWindow.map((entry) => withPayload(entry, stored));

    // Plans of other environments, so their later events (which name only the plan) stay out too.
    const foreignPlans = new Set<string>();
    for (const e of withPayloads) {
      const env = environmentOf(e.content);
      const planId = planIdOf(e.content);
      if (
        env !== null &&
        env !== query.environment &&
        planId !== null &&
        decodeLeaf(e.entry.leaf).type === REMEDIATION_PLANNED
      ) {
        foreignPlans.add(planId);
      }
    }
    const inEnvironment = withPayloads.filter((e) => {
      const env = environmentOf(e.content);
      if (env !== null) return env === query.environment;
      const planId = planIdOf(e.content);
      return planId === null || !foreignPlans.has(planId);
    });
    const selected = [
      ...inEnvironment,
      ...(await this.publicationsPinning(inEnvironment, head, query.organisation)),
    ].sort((a, b) => a.entry.index - b.entry.index);

    const proofs = await this.repository.inclusionProofs(
      selected.map((e) => e.entry.index),
      head,
    );
    const entries: EvidencePackSourceEntry[] = selected.map((e, i) => ({
      index: e.entry.index,
      leaf: e.entry.leaf,
      leafHash: e.entry.leafHash,
      inclusionProof: proofs[i] ?? [],
      payload: e.state === 'present' ? { state: 'present', content: e.content } : { state: e.state },
    }));

    const checkpoint = parseCheckpoint(parseSignedNote(latest.note).text);
    // With the witnesses' co-signatures, so an auditor can require them offline too.
    const note = withCosignatures(latest.note, await this.cosignatures.forSize(head));
    return buildEvidencePack({
      scope: {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        environment: query.environment,
        organisation: query.organisation,
        selection: EVIDENCE_PACK_SELECTION,
        pendingEntriesExcluded: pending,
        otherEnvironmentEntriesExcluded: withPayloads.length - inEnvironment.length,
      },
      log: {
        origin: checkpoint.origin,
        treeSize: head,
        rootHash: latest.rootHash,
        checkpoint: note,
        vkeys: this.vkeys,
      },
      entries,
      workflowHistories: await this.fetchHistories(workflowIdsOf(entries)),
      sbomDocuments: await this.fetchSboms(imageVersionIdsOf(entries), query.driftCredential),
      driftReports:
        this.drift === undefined
          ? { status: 'absent', reason: DRIFT_REPORTS_ABSENT }
          : {
              status: 'fetched',
              ...(await this.fetchDrift(this.drift, query)),
            },
    });
  }

  /**
   * The publications (before the window, or after it but checkpointed) of image versions the selected
   * entries name without their publication: each pins the SBOM document the pack carries.
   */
  private async publicationsPinning(
    selected: readonly SelectedEntry[],
    head: number,
    organisation: string,
  ): Promise<SelectedEntry[]> {
    const named = imageVersionIdsOf(
      selected.map((e) => ({
        leaf: e.entry.leaf,
        payload:
          e.state === 'present' ? { state: 'present' as const, content: e.content } : { state: e.state },
      })),
    );
    const published = new Set(
      selected
        .filter((e) => decodeLeaf(e.entry.leaf).type === IMAGE_PUBLISHED)
        .map((e) => imageVersionIdOf(e.content)),
    );
    const unpinned = named.filter((id) => !published.has(id));
    if (unpinned.length === 0) return [];
    const have = new Set(selected.map((e) => e.entry.index));
    const found: LedgerEntry[] = [];
    for (const ref of await this.payloads.publicationRefsOf(unpinned)) {
      if (!ref.startsWith(PAYLOAD_REF_PREFIX)) continue;
      const entry = await this.repository.entryByEventId(ref.slice(PAYLOAD_REF_PREFIX.length), {
        organisation,
      });
      if (
        entry !== undefined &&
        entry.payloadRef === ref &&
        entry.index < head &&
        !have.has(entry.index) &&
        decodeLeaf(entry.leaf).type === IMAGE_PUBLISHED
      ) {
        found.push(entry);
        have.add(entry.index);
      }
    }
    const stored = await this.payloads.getMany(found.map((e) => e.payloadRef));
    return found.map((entry) => withPayload(entry, stored));
  }

  private async fetchDrift(
    drift: DriftEvidenceSource,
    query: GenerateEvidencePackQuery,
  ): Promise<{ report: FetchedDocumentOutcome; trend: FetchedDocumentOutcome }> {
    const [report, trend] = await Promise.all([
      drift.driftReport(query.environment, query.driftCredential),
      drift.driftTrend(query.environment, query.from, query.to, query.driftCredential),
    ]);
    return { report, trend };
  }

  private async fetchSboms(
    ids: readonly string[],
    credential: string | undefined,
  ): Promise<Map<string, FetchedDocumentOutcome>> {
    const outcomes = new Map<string, FetchedDocumentOutcome>();
    const drift = this.drift;
    for (let i = 0; i < ids.length; i += SBOM_CONCURRENCY) {
      const batch = ids.slice(i, i + SBOM_CONCURRENCY);
      const results = await Promise.all(
        batch.map((id): Promise<FetchedDocumentOutcome> =>
          drift === undefined
            ? Promise.resolve({
                status: 'unavailable',
                reason: 'no drift service is configured (RF_LEDGER_DRIFT_URL)',
              })
            : drift.sbom(id, credential),
        ),
      );
      batch.forEach((id, j) => outcomes.set(id, results[j] as FetchedDocumentOutcome));
    }
    return outcomes;
  }

  private async fetchHistories(ids: readonly string[]): Promise<Map<string, WorkflowHistoryOutcome>> {
    const outcomes = new Map<string, WorkflowHistoryOutcome>();
    for (let i = 0; i < ids.length; i += HISTORY_CONCURRENCY) {
      const batch = ids.slice(i, i + HISTORY_CONCURRENCY);
      const results = await Promise.all(batch.map((id) => this.histories.history(id)));
      batch.forEach((id, j) => outcomes.set(id, results[j] as WorkflowHistoryOutcome));
    }
    return outcomes;
  }
}
