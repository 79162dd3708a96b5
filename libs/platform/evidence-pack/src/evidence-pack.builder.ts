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
  type SbomDocument,
} from './evidence-pack-index.document';
import { writeEvidencePackArchive } from './evidence-pack.archive';

const TYPE_PREFIX = 'io.resiliencefabric.';
const POLICY_DECIDED = `${TYPE_PREFIX}policy.decided.v1`;
const IMAGE_PUBLISHED = `${TYPE_PREFIX}image.published.v1`;
/** Events whose payload names an image version (`imageVersionId`): its SBOM belongs in the pack. */
const IMAGE_VERSION_EVENTS = new Set([
  IMAGE_PUBLISHED,
  `${TYPE_PREFIX}image.promoted.v1`,
  `${TYPE_PREFIX}image.revoked.v1`,
  `${TYPE_PREFIX}remediation.planned.v1`,
]);
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

/** A document fetched from another service for the pack, or why it could not be had. */
export type FetchedDocumentOutcome =
  | { readonly status: 'found'; readonly bytes: Buffer }
  | { readonly status: 'not_found' | 'unavailable' | 'refused'; readonly reason: string };

/** Drift reports of the pack's environment: the report now and the trend over the window. */
export type DriftReportsInput =
  | { readonly status: 'absent'; readonly reason: string }
  | {
      readonly status: 'fetched';
      /** `GET /api/v1/drift?env=` (a FleetDriftReport). */
      readonly report: FetchedDocumentOutcome;
      /** `GET /api/v1/drift/trend?env=&from=&to=` (a DriftTrend). */
      readonly trend: FetchedDocumentOutcome;
    };

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
  /** By image version id, for each id `imageVersionIdsOf(entries)` returned: the SPDX documents. */
  readonly sbomDocuments: ReadonlyMap<string, FetchedDocumentOutcome>;
  readonly driftReports: DriftReportsInput;
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

/** Image versions the entries name (publications, promotions, revocations, plans' targets), first-seen order. */
export function imageVersionIdsOf(
  entries: readonly { readonly leaf: Buffer; readonly payload: EvidencePackSourceEntry['payload'] }[],
): string[] {
  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.payload.state !== 'present' || !IMAGE_VERSION_EVENTS.has(decodeLeaf(entry.leaf).type)) continue;
    const id = isObject(entry.payload.content) ? str(entry.payload.content['imageVersionId']) : null;
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

/**
 * The SBOM digest each publication recorded, by image version id: what a pack's SBOM document must
 * hash to. The last publication of a version wins (there is one).
 */
export function sbomDigestsOf(
  entries: readonly { readonly index: number; readonly type: string; readonly payload: JsonValue | null }[],
): Map<string, { readonly ledgerIndex: number; readonly sha256: string }> {
  const pins = new Map<string, { ledgerIndex: number; sha256: string }>();
  for (const e of entries) {
    if (e.type !== IMAGE_PUBLISHED || !isObject(e.payload)) continue;
    const id = str(e.payload['imageVersionId']);
    const sbom = e.payload['sbom'];
    const sha256 = isObject(sbom) ? str(sbom['sha256']) : null;
    if (id !== null && sha256 !== null) pins.set(id, { ledgerIndex: e.index, sha256: sha256.toLowerCase() });
  }
  return pins;
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

function sboms(
  decoded: readonly Decoded[],
  documents: ReadonlyMap<string, FetchedDocumentOutcome>,
  out: PackFiles,
  listed: SbomDocument[],
): EvidencePackSection {
  const ids = imageVersionIdsOf(decoded.map((d) => d.source));
  const pins = sbomDigestsOf(
    decoded.map((d) => ({ index: d.source.index, type: d.content.type, payload: d.payload })),
  );
  const files: string[] = [];
  const missing = decoded
    .filter((d) => d.content.type === IMAGE_PUBLISHED && !isObject(d.payload))
    .map(redactedItem);
  for (const id of ids) {
    const outcome = documents.get(id);
    const pin = pins.get(id);
    if (outcome === undefined) {
      missing.push({ item: `SBOM of ${id}`, reason: 'not looked up' });
    } else if (outcome.status !== 'found') {
      missing.push({ item: `SBOM of ${id}`, reason: `${outcome.status}: ${outcome.reason}` });
    } else if (pin !== undefined && sha256Hex(outcome.bytes) !== pin.sha256) {
      // Never pack a document the ledger contradicts.
      missing.push({
        item: `SBOM of ${id}`,
        reason: `the document served does not hash to the digest its publication recorded (entry ${pin.ledgerIndex})`,
      });
    } else {
      const path = out.add(`sboms/${safeName(id)}.spdx.json`, outcome.bytes);
      files.push(path);
      listed.push({
        imageVersionId: id,
        path,
        sha256: pin?.sha256 ?? null,
        ledgerIndex: pin?.ledgerIndex ?? null,
      });
    }
  }
  return section(files, missing, ids.length > 0 || missing.length > 0);
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

function parsedJson(outcome: FetchedDocumentOutcome): JsonValue | string {
  if (outcome.status !== 'found') return `${outcome.status}: ${outcome.reason}`;
  try {
    return JSON.parse(outcome.bytes.toString('utf8')) as JsonValue;
  } catch {
    return 'unavailable: the drift service answered something other than JSON';
  }
}

function listOf(value: JsonValue | undefined): readonly JsonValue[] {
  return Array.isArray(value) ? (value as readonly JsonValue[]) : [];
}

function num(value: JsonValue | undefined): JsonValue {
  return typeof value === 'number' ? value : null;
}

function driftScopeRow(kind: string, r: JsonValue | undefined): unknown[] {
  const o = isObject(r) ? r : {};
  const stopped = isObject(o['stopped']) ? o['stopped'] : {};
  return [
    kind,
    o['environment'] ?? null,
    o['platform'] ?? null,
    o['site'] ?? null,
    o['family'] ?? null,
    num(o['totalAssets']),
    num(o['compliantAssets']),
    num(o['outdatedCount']),
    num(o['coveragePct']),
    num(o['unmanagedAssets']),
    num(stopped['total']),
    o['calculatedAt'] ?? null,
  ];
}

function driftReports(input: DriftReportsInput, out: PackFiles): EvidencePackSection {
  if (input.status === 'absent') return { status: 'absent', files: [], reason: input.reason };
  const report = parsedJson(input.report);
  const trend = parsedJson(input.trend);
  if (typeof report === 'string' && typeof trend === 'string') {
    return { status: 'absent', files: [], reason: `drift report ${report}; drift trend ${trend}` };
  }
  const files: string[] = [];
  const missing: { item: string; reason: string }[] = [];
  if (typeof report === 'string') missing.push({ item: 'drift report', reason: report });
  else {
    const r = isObject(report) ? report : {};
    const rows = [
      driftScopeRow('summary', r['summary']),
      ...listOf(r['scopes']).map((s) => driftScopeRow('scope', s)),
      ...listOf(r['families']).map((f) => driftScopeRow('family', f)),
    ];
    files.push(
      out.add('reports/drift.json', jsonBytes(report)),
      out.add(
        'reports/drift.csv',
        csvDocument(
          [
            'kind',
            'environment',
            'platform',
            'site',
            'family',
            'totalAssets',
            'compliantAssets',
            'outdatedCount',
            'coveragePct',
            'unmanagedAssets',
            'stoppedAssets',
            'calculatedAt',
          ],
          rows,
        ),
      ),
    );
  }
  if (typeof trend === 'string') missing.push({ item: 'drift trend', reason: trend });
  else {
    const points = isObject(trend) ? listOf(trend['points']) : [];
    const keys = [...new Set(points.flatMap((p) => (isObject(p) ? Object.keys(p) : [])))].sort();
    files.push(
      out.add('reports/drift-trend.json', jsonBytes(trend)),
      out.add(
        'reports/drift-trend.csv',
        csvDocument(
          keys,
          points.map((p) => keys.map((k) => (isObject(p) ? (p[k] ?? null) : null))),
        ),
      ),
    );
  }
  return section(files, missing, true);
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
      ...(d.content.organisation === undefined ? {} : { organisation: d.content.organisation }),
      leaf: d.source.leaf.toString('base64'),
      leafHash: d.source.leafHash.toString('hex'),
      inclusionProof: d.source.inclusionProof.map((h) => h.toString('hex')),
      environment: environmentOf(d.payload),
      payload: { state: d.source.payload.state, path },
    };
  });

  const sbomDocuments: SbomDocument[] = [];
  const sections = {
    policyDecisions: policyDecisions(decoded, out),
    sboms: sboms(decoded, input.sbomDocuments, out, sbomDocuments),
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
    sbomDocuments,
    files,
  };
  const all = new Map(out.files);
  all.set(EVIDENCE_PACK_INDEX_PATH, Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8'));
  return { index, archive: writeEvidencePackArchive(all) };
}
