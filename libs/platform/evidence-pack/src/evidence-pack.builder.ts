import {
  canonicalJsonBytes,
  decodeLeaf,
  type JsonObject,
  type JsonValue,
  type LeafContent,
} from '@rf/platform-ledger-proof';
import { createHash } from 'node:crypto';
import { csvDocument } from './csv.document';
import {
  EVIDENCE_PACK_FORMAT,
  EVIDENCE_PACK_INDEX_PATH,
  type EvidencePackEntry,
  type EvidencePackIndex,
  type EvidencePackSection,
} from './evidence-pack-index.document';
import { writeEvidencePackArchive } from './evidence-pack.archive';

const TYPE_PREFIX = 'io.resiliencefabric.';
const POLICY_DECIDED = `${TYPE_PREFIX}policy.decided.v1`;
const IMAGE_PUBLISHED = `${TYPE_PREFIX}image.published.v1`;
const COMPLIANCE_SCORED = `${TYPE_PREFIX}compliance.scored.v1`;
const WAVE_STARTED = `${TYPE_PREFIX}remediation.wave.started.v1`;

export interface EvidencePackSourceEntry {
  readonly index: number;
  readonly leaf: Buffer;
  readonly leafHash: Buffer;
  /** Audit path to the pack's checkpoint. */
  readonly inclusionProof: readonly Buffer[];
  readonly payload:
    { readonly state: 'present'; readonly content: JsonValue } | { readonly state: 'redacted' | 'missing' };
}

export type WorkflowHistoryOutcome =
  /** The history in Temporal's JSON history format (what `temporal workflow show -o json` writes). */
  | { readonly status: 'found'; readonly historyJson: string }
  | { readonly status: 'not_found' | 'unavailable'; readonly reason: string };

export interface EvidencePackInput {
  readonly scope: EvidencePackIndex['scope'];
  readonly log: {
    readonly origin: string;
    readonly treeSize: number;
    readonly rootHash: Buffer;
    readonly checkpoint: string;
    readonly vkeys: readonly string[];
  };
  /** In index order, each proven against the checkpoint. */
  readonly entries: readonly EvidencePackSourceEntry[];
  /** By workflow id, for each id `workflowIdsOf(entries)` returned. */
  readonly workflowHistories: ReadonlyMap<string, WorkflowHistoryOutcome>;
  /** Why there are no drift reports, when the platform has no source for them. */
  readonly driftReports:
    | { readonly status: 'absent'; readonly reason: string }
    | { readonly status: 'present'; readonly reports: readonly JsonObject[] };
}

export interface EvidencePack {
  readonly index: EvidencePackIndex;
  /** The ZIP, byte for byte the same for the same input. */
  readonly archive: Buffer;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The payload's `environment`, when it names one. */
export function environmentOf(payload: JsonValue | null): string | null {
  return isObject(payload) ? str(payload['environment']) : null;
}

/** Workflow ids of the remediation waves among the entries, in first-seen order. */
export function workflowIdsOf(
  entries: readonly { readonly leaf: Buffer; readonly payload: EvidencePackSourceEntry['payload'] }[],
): string[] {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.payload.state !== 'present' || decodeLeaf(entry.leaf).type !== WAVE_STARTED) continue;
    const id = isObject(entry.payload.content) ? str(entry.payload.content['workflowId']) : null;
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

/** A file name from an identifier: anything outside the safe set becomes `_`. */
function safeName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return name === '.' || name === '..' || name.length === 0 ? '_' : name;
}

function jsonBytes(value: JsonValue): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

interface Decoded {
  readonly source: EvidencePackSourceEntry;
  readonly content: LeafContent;
  readonly payload: JsonValue | null;
}

class PackFiles {
  readonly files = new Map<string, Buffer>();

  add(path: string, bytes: Buffer): string {
    if (this.files.has(path)) throw new Error(`evidence pack: ${path} written twice`);
    this.files.set(path, bytes);
    return path;
  }
}

function section(
  files: readonly string[],
  missing: readonly { item: string; reason: string }[],
  calledFor: boolean,
): EvidencePackSection {
  if (!calledFor) return { status: 'empty', files: [] };
  if (missing.length === 0) return { status: 'present', files: [...files] };
  return { status: 'partial', files: [...files], missing: [...missing] };
}

function redactedItem(d: Decoded): { item: string; reason: string } {
  return {
    item: `entry ${d.source.index} (${d.content.eventId})`,
    reason: `its payload is ${d.source.payload.state}`,
  };
}

function policyDecisions(decoded: readonly Decoded[], out: PackFiles): EvidencePackSection {
  const all = decoded.filter((d) => d.content.type === POLICY_DECIDED);
  const present = all.filter((d) => isObject(d.payload));
  const rows: JsonObject[] = present.map((d) => ({
    ledgerIndex: d.source.index,
    ...(d.payload as JsonObject),
  }));
  const files =
    all.length === 0
      ? []
      : [
          out.add('policy/decisions.json', jsonBytes(rows)),
          out.add(
            'policy/decisions.csv',
            csvDocument(
              [
                'ledgerIndex',
                'decisionId',
                'service',
                'action',
                'policy',
                'result',
                'enforced',
                'mode',
                'decidedAt',
              ],
              rows.map((r) => [
                r['ledgerIndex'],
                r['decisionId'],
                r['service'],
                r['action'],
                r['policy'],
                r['result'],
                r['enforced'],
                r['mode'],
                r['decidedAt'],
              ]),
            ),
          ),
        ];
  return section(files, all.filter((d) => !isObject(d.payload)).map(redactedItem), all.length > 0);
}

function sboms(decoded: readonly Decoded[], out: PackFiles): EvidencePackSection {
  const all = decoded.filter((d) => d.content.type === IMAGE_PUBLISHED);
  const files: string[] = [];
  const missing = all.filter((d) => !isObject(d.payload)).map(redactedItem);
  for (const d of all) {
    if (!isObject(d.payload)) continue;
    const p = d.payload;
    const id = str(p['imageVersionId']) ?? d.content.eventId;
    files.push(
      out.add(
        `sboms/${safeName(id)}.json`,
        jsonBytes({
          ledgerIndex: d.source.index,
          imageVersionId: id,
          family: p['family'] ?? null,
          version: p['version'] ?? null,
          sbom: p['sbom'] ?? null,
        }),
      ),
    );
    // The ledger holds what publication recorded about the SBOM (format, location, digest), which
    // pins the document; the document itself stays with the image registry.
    missing.push({
      item: `SBOM document of ${id}`,
      reason: 'kept by the image registry, not by the ledger; the reference and its SHA-256 are in the pack',
    });
  }
  return section(files, missing, all.length > 0);
}

function complianceReports(decoded: readonly Decoded[], out: PackFiles): EvidencePackSection {
  const all = decoded.filter((d) => d.content.type === COMPLIANCE_SCORED);
  const present = all.filter((d) => isObject(d.payload));
  const reports: JsonObject[] = present.map((d) => ({
    ledgerIndex: d.source.index,
    ...(d.payload as JsonObject),
  }));
  const rows: unknown[][] = [];
  for (const r of reports) {
    const controls = Array.isArray(r['controls']) ? (r['controls'] as JsonValue[]) : [];
    for (const c of controls) {
      if (!isObject(c)) continue;
      const evidence = Array.isArray(c['evidence']) ? (c['evidence'] as JsonValue[]) : [];
      rows.push([
        r['ledgerIndex'],
        r['scoreId'],
        r['subjectKind'],
        r['subjectId'],
        r['score'],
        r['target'],
        r['badge'],
        r['scoredAt'],
        c['controlId'],
        c['weight'],
        c['status'],
        evidence
          .map((e) => (isObject(e) && typeof e['index'] === 'number' ? String(e['index']) : ''))
          .join(' '),
      ]);
    }
  }
  const files =
    all.length === 0
      ? []
      : [
          out.add('reports/compliance.json', jsonBytes(reports)),
          out.add(
            'reports/compliance.csv',
            csvDocument(
              [
                'ledgerIndex',
                'scoreId',
                'subjectKind',
                'subjectId',
                'score',
                'target',
                'badge',
                'scoredAt',
                'controlId',
                'weight',
                'status',
                'evidenceIndexes',
              ],
              rows,
            ),
          ),
        ];
  return section(files, all.filter((d) => !isObject(d.payload)).map(redactedItem), all.length > 0);
}

function driftReports(input: EvidencePackInput['driftReports'], out: PackFiles): EvidencePackSection {
  if (input.status === 'absent') return { status: 'absent', files: [], reason: input.reason };
  if (input.reports.length === 0) return { status: 'empty', files: [] };
  const keys = [...new Set(input.reports.flatMap((r) => Object.keys(r)))].sort();
  return {
    status: 'present',
    files: [
      out.add('reports/drift.json', jsonBytes(input.reports)),
      out.add(
        'reports/drift.csv',
        csvDocument(
          keys,
          input.reports.map((r) => keys.map((k) => r[k] ?? null)),
        ),
      ),
    ],
  };
}

function workflowHistories(
  ids: readonly string[],
  histories: ReadonlyMap<string, WorkflowHistoryOutcome>,
  out: PackFiles,
): EvidencePackSection {
  const files: string[] = [];
  const missing: { item: string; reason: string }[] = [];
  for (const id of ids) {
    const outcome = histories.get(id);
    if (outcome === undefined) missing.push({ item: `workflow ${id}`, reason: 'not looked up' });
    else if (outcome.status === 'found') {
      files.push(out.add(`workflows/${safeName(id)}.history.json`, Buffer.from(outcome.historyJson, 'utf8')));
    } else missing.push({ item: `workflow ${id}`, reason: `${outcome.status}: ${outcome.reason}` });
  }
  return section(files, missing, ids.length > 0);
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Builds the pack: the ledger entries with their proofs and payloads, the checkpoint they are proven
 * against, and the documents drawn from them. A section the pack cannot fill says so in the index.
 */
export function buildEvidencePack(input: EvidencePackInput): EvidencePack {
  const out = new PackFiles();
  out.add('checkpoint.note', Buffer.from(input.log.checkpoint, 'utf8'));

  const decoded: Decoded[] = input.entries.map((source) => ({
    source,
    content: decodeLeaf(source.leaf),
    payload: source.payload.state === 'present' ? source.payload.content : null,
  }));
  const entries: EvidencePackEntry[] = decoded.map((d) => {
    const path =
      d.source.payload.state === 'present'
        ? out.add(`payloads/${d.source.index}.json`, canonicalJsonBytes(d.source.payload.content))
        : null;
    return {
      index: d.source.index,
      eventId: d.content.eventId,
      type: d.content.type,
      subject: d.content.subject,
      time: d.content.time,
      leaf: d.source.leaf.toString('base64'),
      leafHash: d.source.leafHash.toString('hex'),
      inclusionProof: d.source.inclusionProof.map((h) => h.toString('hex')),
      environment: environmentOf(d.payload),
      payload: { state: d.source.payload.state, path },
    };
  });

  const sections = {
    policyDecisions: policyDecisions(decoded, out),
    sboms: sboms(decoded, out),
    driftReports: driftReports(input.driftReports, out),
    complianceReports: complianceReports(decoded, out),
    workflowHistories: workflowHistories(workflowIdsOf(input.entries), input.workflowHistories, out),
  };

  const files = [...out.files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, bytes]) => ({ path, sha256: sha256Hex(bytes), bytes: bytes.length }));
  const index: EvidencePackIndex = {
    format: EVIDENCE_PACK_FORMAT,
    scope: input.scope,
    log: {
      origin: input.log.origin,
      treeSize: input.log.treeSize,
      rootHash: input.log.rootHash.toString('hex'),
      checkpoint: input.log.checkpoint,
      vkeys: [...input.log.vkeys],
    },
    entries,
    sections,
    files,
  };
  const all = new Map(out.files);
  all.set(EVIDENCE_PACK_INDEX_PATH, Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8'));
  return { index, archive: writeEvidencePackArchive(all) };
}
