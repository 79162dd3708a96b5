import {
  type Checkpoint,
  decodeLeaf,
  Ed25519NoteVerifier,
  type FindingCode,
  type FindingSeverity,
  hashLeaf,
  type JsonValue,
  type LeafContent,
  type NoteVerifyingKey,
  sameHash,
  verifyCheckpointNote,
  verifyInclusion,
} from '@rf/platform-ledger-proof';
import { createHash } from 'node:crypto';
import {
  EVIDENCE_PACK_INDEX_PATH,
  EVIDENCE_PACK_SECTIONS,
  type EvidencePackIndex,
  evidencePackIndexSchema,
} from './evidence-pack-index.document';
import { EvidencePackArchiveError, readEvidencePackArchive } from './evidence-pack.archive';
import { sbomDigestsOf } from './evidence-pack.builder';

export type EvidencePackFindingCode =
  | FindingCode
  /** Not a ZIP, or too large. */
  | 'ARCHIVE_MALFORMED'
  /** No index, or not an index of this format. */
  | 'INDEX_MALFORMED'
  /** No key to check the checkpoint with: none given, and the embedded ones were not to be trusted. */
  | 'NO_TRUSTED_KEYS'
  /** The checkpoint was checked with the keys the pack itself carries: it proves integrity, not origin. */
  | 'EMBEDDED_KEYS_TRUSTED'
  /** A file the index lists is not in the archive. */
  | 'FILE_MISSING'
  /** A file's SHA-256 is not the one the index lists. */
  | 'FILE_HASH_MISMATCH'
  /** A file is in the archive but not in the index, or a section or entry names a file the index does not list. */
  | 'FILE_UNLISTED'
  /** The index's log size or root, or its copy of the note, differs from the signed checkpoint. */
  | 'CHECKPOINT_MISMATCH'
  /** The index says something about an entry that its leaf does not. */
  | 'ENTRY_MISMATCH'
  /** An entry's leaf names an organisation other than the one the pack is for. */
  | 'ENTRY_OTHER_ORGANISATION'
  /** The leaf hash listed is not the RFC 6962 hash of the leaf. */
  | 'LEAF_HASH_MISMATCH'
  /** A section is not fully there; its reason is in the index. */
  | 'SECTION_INCOMPLETE'
  /** An SBOM document does not hash to the digest its publication recorded in the ledger. */
  | 'SBOM_DIGEST_MISMATCH'
  /** An SBOM document whose publication is not in the pack: nothing in the log pins it. */
  | 'SBOM_UNPINNED';

export interface EvidencePackFinding {
  readonly severity: FindingSeverity;
  readonly code: EvidencePackFindingCode;
  readonly message: string;
  readonly path?: string;
  readonly entryIndex?: number;
  readonly keyName?: string;
}

export interface EvidencePackVerifyOptions {
  /** Log keys the auditor trusts; any one must have signed the checkpoint. */
  readonly trustedKeys: readonly NoteVerifyingKey[];
  /** Also trust the vkeys the pack carries (reported as a warning: anyone can make a pack with its own). */
  readonly trustEmbeddedKeys: boolean;
  /** The log's origin; by default the name of the first trusted key, else the index's. */
  readonly origin?: string;
  /** Co-signers the auditor requires, and how many of them. */
  readonly witnessKeys?: readonly NoteVerifyingKey[];
  readonly witnessQuorum?: number;
}

export interface EvidencePackVerification {
  readonly ok: boolean;
  readonly findings: readonly EvidencePackFinding[];
  readonly index: EvidencePackIndex | undefined;
  readonly checkpoint: Checkpoint | undefined;
  readonly filesVerified: number;
  readonly inclusionProofsVerified: number;
  readonly payloadsVerified: number;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseIndex(bytes: Buffer | undefined): EvidencePackIndex | string {
  if (bytes === undefined) return `the archive has no ${EVIDENCE_PACK_INDEX_PATH}`;
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error: unknown) {
    return `${EVIDENCE_PACK_INDEX_PATH} is not JSON: ${message(error)}`;
  }
  const parsed = evidencePackIndexSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `${EVIDENCE_PACK_INDEX_PATH} is not an evidence pack index: ${issues.join('; ')}`;
}

function embeddedKeys(index: EvidencePackIndex, findings: EvidencePackFinding[]): NoteVerifyingKey[] {
  const keys: NoteVerifyingKey[] = [];
  for (const vkey of index.log.vkeys) {
    try {
      keys.push(Ed25519NoteVerifier.fromVkey(vkey));
    } catch (error: unknown) {
      findings.push({
        severity: 'error',
        code: 'INDEX_MALFORMED',
        message: `embedded vkey: ${message(error)}`,
      });
    }
  }
  return keys;
}

/**
 * Checks an evidence pack offline: every file against the SHA-256 the index lists, the checkpoint's
 * signature against trusted keys, each entry's leaf and inclusion proof against that checkpoint, and
 * each payload against the hash its leaf commits to. Reports every problem, not only the first.
 */
export function verifyEvidencePack(
  archive: Uint8Array,
  options: EvidencePackVerifyOptions,
): EvidencePackVerification {
  const findings: EvidencePackFinding[] = [];
  const error = (code: EvidencePackFindingCode, text: string, where: Partial<EvidencePackFinding> = {}) =>
    findings.push({ severity: 'error', code, message: text, ...where });
  const result = (
    index: EvidencePackIndex | undefined,
    checkpoint: Checkpoint | undefined,
    counts = { files: 0, proofs: 0, payloads: 0 },
  ): EvidencePackVerification => ({
    ok: !findings.some((f) => f.severity === 'error'),
    findings,
    index,
    checkpoint,
    filesVerified: counts.files,
    inclusionProofsVerified: counts.proofs,
    payloadsVerified: counts.payloads,
  });

  let files: Map<string, Buffer>;
  try {
    files = readEvidencePackArchive(archive);
  } catch (e: unknown) {
    if (!(e instanceof EvidencePackArchiveError)) throw e;
    error('ARCHIVE_MALFORMED', e.message);
    return result(undefined, undefined);
  }
  const index = parseIndex(files.get(EVIDENCE_PACK_INDEX_PATH));
  if (typeof index === 'string') {
    error('INDEX_MALFORMED', index);
    return result(undefined, undefined);
  }
  const counts = { files: 0, proofs: 0, payloads: 0 };

  // Files: each listed one present with its hash, nothing else in the archive.
  const listed = new Set<string>();
  for (const file of index.files) {
    listed.add(file.path);
    const bytes = files.get(file.path);
    if (bytes === undefined)
      error('FILE_MISSING', `${file.path} is listed but not in the archive`, { path: file.path });
    else if (sha256Hex(bytes) !== file.sha256) {
      error('FILE_HASH_MISMATCH', `${file.path} does not have the SHA-256 the index lists`, {
        path: file.path,
      });
    } else counts.files += 1;
  }
  for (const path of files.keys()) {
    if (path !== EVIDENCE_PACK_INDEX_PATH && !listed.has(path)) {
      error('FILE_UNLISTED', `${path} is in the archive but not in the index`, { path });
    }
  }
  for (const name of EVIDENCE_PACK_SECTIONS) {
    const s = index.sections[name];
    for (const path of s.files) {
      if (!listed.has(path))
        error('FILE_UNLISTED', `section ${name} names ${path}, which the index does not list`, { path });
    }
    if (s.status === 'partial' || s.status === 'absent') {
      const why = s.reason ?? (s.missing ?? []).map((m) => `${m.item}: ${m.reason}`).join('; ');
      findings.push({
        severity: 'info',
        code: 'SECTION_INCOMPLETE',
        message: `${name} is ${s.status}: ${why}`,
      });
    }
  }

  // The checkpoint: the archive's note is the index's, and trusted keys signed it.
  const note = files.get('checkpoint.note')?.toString('utf8');
  if (note !== undefined && note !== index.log.checkpoint) {
    error('CHECKPOINT_MISMATCH', 'checkpoint.note differs from the note in the index', {
      path: 'checkpoint.note',
    });
  }
  const trusted = [...options.trustedKeys];
  if (options.trustEmbeddedKeys) {
    trusted.push(...embeddedKeys(index, findings));
    findings.push({
      severity: 'warning',
      code: 'EMBEDDED_KEYS_TRUSTED',
      message:
        'the checkpoint was checked with the keys the pack carries; give the log key to prove who signed it',
    });
  }
  if (trusted.length === 0) {
    error('NO_TRUSTED_KEYS', 'no trusted log key: give one, or choose to trust the embedded ones');
    return result(index, undefined, counts);
  }
  const origin = options.origin ?? options.trustedKeys[0]?.keyName ?? index.log.origin;
  const verified = verifyCheckpointNote(
    index.log.checkpoint,
    {
      origin,
      logKeys: trusted,
      ...(options.witnessKeys ? { witnessKeys: options.witnessKeys } : {}),
      ...(options.witnessQuorum === undefined ? {} : { witnessQuorum: options.witnessQuorum }),
    },
    'checkpoint',
  );
  for (const f of verified.findings) {
    findings.push({
      severity: f.severity,
      code: f.code,
      message: f.message,
      ...(f.keyName === undefined ? {} : { keyName: f.keyName }),
    });
  }
  const checkpoint = verified.checkpoint;
  if (checkpoint === undefined) return result(index, undefined, counts);
  if (checkpoint.size !== index.log.treeSize || checkpoint.rootHash.toString('hex') !== index.log.rootHash) {
    error(
      'CHECKPOINT_MISMATCH',
      `the index claims size ${index.log.treeSize} and root ${index.log.rootHash}; the signed checkpoint ` +
        `says ${checkpoint.size} and ${checkpoint.rootHash.toString('hex')}`,
    );
  }

  // Entries: leaf, leaf hash, inclusion in the checkpoint's tree, payload.
  const verifiedPayloads: { index: number; type: string; payload: JsonValue | null }[] = [];
  let previous = -1;
  for (const entry of index.entries) {
    const at = { entryIndex: entry.index };
    if (entry.index <= previous) error('ENTRY_OUT_OF_ORDER', `entry ${entry.index} follows ${previous}`, at);
    previous = Math.max(previous, entry.index);
    const leaf = Buffer.from(entry.leaf, 'base64');
    let content: LeafContent;
    try {
      content = decodeLeaf(leaf);
    } catch (e: unknown) {
      error('LEAF_MALFORMED', message(e), at);
      continue;
    }
    if (
      content.eventId !== entry.eventId ||
      content.type !== entry.type ||
      content.subject !== entry.subject ||
      content.time !== entry.time ||
      content.organisation !== entry.organisation
    ) {
      error(
        'ENTRY_MISMATCH',
        `entry ${entry.index}: the index's event id, type, subject, time or organisation is not the leaf's`,
        at,
      );
    }
    const scopeOrganisation = index.scope.organisation;
    if (
      scopeOrganisation !== undefined &&
      content.organisation !== undefined &&
      content.organisation !== scopeOrganisation
    ) {
      error(
        'ENTRY_OTHER_ORGANISATION',
        `entry ${entry.index} is organisation ${content.organisation}'s, not ${scopeOrganisation}'s`,
        at,
      );
    }
    const leafHash = Buffer.from(entry.leafHash, 'hex');
    if (!sameHash(hashLeaf(leaf), leafHash)) {
      error('LEAF_HASH_MISMATCH', `entry ${entry.index}: the leaf does not hash to the listed leaf hash`, at);
      continue;
    }
    const proof = verifyInclusion(
      entry.index,
      checkpoint.size,
      leafHash,
      entry.inclusionProof.map((h) => Buffer.from(h, 'hex')),
      checkpoint.rootHash,
    );
    if (proof.valid) counts.proofs += 1;
    else error('INCLUSION_PROOF_INVALID', `entry ${entry.index}: ${proof.reason}`, at);

    if (entry.payload.state !== 'present') {
      findings.push({
        severity: 'info',
        code: 'PAYLOAD_REDACTED',
        message: `entry ${entry.index}: payload ${entry.payload.state}; the leaf still verifies`,
        ...at,
      });
      continue;
    }
    const path = entry.payload.path;
    const bytes = path === null ? undefined : files.get(path);
    if (path === null || !listed.has(path) || bytes === undefined) {
      error('FILE_MISSING', `entry ${entry.index}: payload file ${path ?? '(none)'} is not in the pack`, at);
    } else if (`sha256:${sha256Hex(bytes)}` !== content.payloadHash) {
      error(
        'PAYLOAD_HASH_MISMATCH',
        `entry ${entry.index}: ${path} does not hash to the leaf's payload hash`,
        {
          ...at,
          path,
        },
      );
    } else {
      counts.payloads += 1;
      // Proven by the log: a leaf in the checkpoint's tree, and the payload its leaf commits to.
      if (proof.valid) {
        verifiedPayloads.push({
          index: entry.index,
          type: content.type,
          payload: JSON.parse(bytes.toString('utf8')) as JsonValue,
        });
      }
    }
  }

  // SBOM documents: each hashes to the digest its publication recorded, read from the proven payloads
  // (not from the index, which anyone rewriting the pack could rewrite too).
  const pins = sbomDigestsOf(verifiedPayloads);
  const described = new Set((index.sbomDocuments ?? []).map((d) => d.path));
  for (const path of files.keys()) {
    if (path.startsWith('sboms/') && path.endsWith('.spdx.json') && !described.has(path)) {
      error('FILE_UNLISTED', `${path} is an SBOM document the index does not describe`, { path });
    }
  }
  for (const doc of index.sbomDocuments ?? []) {
    const bytes = files.get(doc.path);
    if (bytes === undefined) continue; // FILE_MISSING above, when listed; FILE_UNLISTED otherwise
    const pin = pins.get(doc.imageVersionId);
    const at = { path: doc.path };
    if (pin !== undefined) {
      if (sha256Hex(bytes) !== pin.sha256) {
        error(
          'SBOM_DIGEST_MISMATCH',
          `${doc.path}: the SBOM of ${doc.imageVersionId} does not hash to ${pin.sha256}, the digest entry ${pin.ledgerIndex} recorded`,
          { ...at, entryIndex: pin.ledgerIndex },
        );
      }
    } else if (doc.sha256 !== null || doc.ledgerIndex !== null) {
      error(
        'SBOM_DIGEST_MISMATCH',
        `${doc.path}: the index pins it to entry ${doc.ledgerIndex ?? '?'}, but no proven publication of ${doc.imageVersionId} is in the pack`,
        at,
      );
    } else {
      findings.push({
        severity: 'warning',
        code: 'SBOM_UNPINNED',
        message: `${doc.path}: the publication of ${doc.imageVersionId} is not in the pack, so nothing in it pins the document`,
        ...at,
      });
    }
  }
  return result(index, checkpoint, counts);
}
