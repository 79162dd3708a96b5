import { z } from 'zod';

/** The format tag of the index document; a verifier refuses any other. */
export const EVIDENCE_PACK_FORMAT = 'rf-evidence-pack/v1';
/** Where the index sits in the archive. */
export const EVIDENCE_PACK_INDEX_PATH = 'index.json';

/** The parts of a pack besides the ledger entries themselves. */
export const EVIDENCE_PACK_SECTIONS = [
  'policyDecisions',
  'sboms',
  'driftReports',
  'complianceReports',
  'workflowHistories',
] as const;
export type EvidencePackSectionName = (typeof EVIDENCE_PACK_SECTIONS)[number];

/**
 * `present`: everything the entries call for is in the pack. `empty`: the entries call for nothing of
 * the kind. `partial`: some of it could not be had (see `missing`). `absent`: the platform has no
 * source for it here (see `reason`); nothing of the kind is in the pack.
 */
export type EvidencePackSectionStatus = 'present' | 'empty' | 'partial' | 'absent';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');
const path = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a relative path of safe segments')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), 'must not contain . or ..');

const entrySchema = z.strictObject({
  index: z.number().int().min(0),
  eventId: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().nullable(),
  time: z.string(),
  /** The organisation the leaf names; absent when it names none (platform-wide, or appended before organisations were recorded). */
  organisation: z.string().optional(),
  /** The leaf octets, base64. */
  leaf: z.string(),
  leafHash: hex64,
  /** Audit path to the pack's checkpoint, hex. */
  inclusionProof: z.array(hex64),
  /** The environment the payload names, or null for evidence that names none (organisation-wide). */
  environment: z.string().nullable(),
  payload: z.strictObject({
    state: z.enum(['present', 'redacted', 'missing']),
    /** The canonical JSON of the payload in the archive, when present. */
    path: path.nullable(),
  }),
});

const sectionSchema = z.strictObject({
  status: z.enum(['present', 'empty', 'partial', 'absent']),
  files: z.array(path),
  reason: z.string().optional(),
  /** What the entries call for but the pack lacks, each with why. */
  missing: z.array(z.strictObject({ item: z.string(), reason: z.string() })).optional(),
});

const sbomDocumentSchema = z.strictObject({
  imageVersionId: z.string().min(1),
  /** The SPDX 2.3 JSON document, byte for byte as the image registry serves it. */
  path,
  /** The SHA-256 its publication recorded in the ledger, or null when no publication is in the pack. */
  sha256: hex64.nullable(),
  /** The `image.published` entry that recorded it. */
  ledgerIndex: z.number().int().min(0).nullable(),
});

export const evidencePackIndexSchema = z.strictObject({
  format: z.literal(EVIDENCE_PACK_FORMAT),
  scope: z.strictObject({
    /** Entries appended in [from, to), RFC 3339. */
    from: z.string(),
    to: z.string(),
    environment: z.string(),
    /**
     * The organisation the pack is for: its entries are this organisation's and the platform-wide
     * ones, never another organisation's. Absent in packs made before organisations were recorded.
     */
    organisation: z.string().optional(),
    /** How entries were chosen, in words, so a reader knows what the pack does not claim. */
    selection: z.string(),
    /** Entries in the window not yet covered by a checkpoint, left out because nothing proves them yet. */
    pendingEntriesExcluded: z.number().int().min(0),
    /** Entries in the window that belong to other environments. */
    otherEnvironmentEntriesExcluded: z.number().int().min(0),
  }),
  log: z.strictObject({
    origin: z.string(),
    treeSize: z.number().int().min(1),
    rootHash: hex64,
    /** The signed checkpoint note, verbatim; also in the archive as `checkpoint.note`. */
    checkpoint: z.string(),
    /** The log's public keys as the ledger states them; trusted only when the verifier is told so. */
    vkeys: z.array(z.string()),
  }),
  entries: z.array(entrySchema),
  sections: z.strictObject({
    policyDecisions: sectionSchema,
    sboms: sectionSchema,
    driftReports: sectionSchema,
    complianceReports: sectionSchema,
    workflowHistories: sectionSchema,
  }),
  /** The SBOM documents in `sboms/`, each with the digest the ledger pins it to. */
  sbomDocuments: z.array(sbomDocumentSchema).optional(),
  /** Every other file of the archive with its SHA-256; the index is the only file not listed. */
  files: z.array(z.strictObject({ path, sha256: hex64, bytes: z.number().int().min(0) })),
});

export type EvidencePackIndex = z.infer<typeof evidencePackIndexSchema>;
export type EvidencePackEntry = EvidencePackIndex['entries'][number];
export type SbomDocument = z.infer<typeof sbomDocumentSchema>;
export type EvidencePackSection = EvidencePackIndex['sections'][EvidencePackSectionName];
