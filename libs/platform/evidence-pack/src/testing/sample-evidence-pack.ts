import {
  Ed25519NoteSigner,
  encodeLeaf,
  formatCheckpoint,
  formatSignedNote,
  InMemoryMerkleTree,
  type JsonValue,
  payloadHashOf,
  payloadRefFor,
  signNote,
} from '@rf/platform-ledger-proof';
import { createHash } from 'node:crypto';
import type { EvidencePackInput } from '../evidence-pack.builder';

export const SAMPLE_PACK_ORIGIN = 'ledger.test.resiliencefabric.io/evidence';
/** The key that signs the sample checkpoint. */
export const samplePackLogKey = Ed25519NoteSigner.generate(SAMPLE_PACK_ORIGIN);
const T = 'io.resiliencefabric.';

/** The SPDX 2.3 document the sample image was published with. */
export const SAMPLE_SBOM = Buffer.from(
  `${JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'ubuntu-22.04',
    documentNamespace: 'https://sboms.example.com/ubuntu-22.04/1.2.3',
    creationInfo: { created: '2026-11-22T09:00:00Z', creators: ['Tool: syft-1.16.0'] },
    packages: [
      { SPDXID: 'SPDXRef-p0', name: 'openssl', versionInfo: '3.0.2', downloadLocation: 'NOASSERTION' },
    ],
  })}\n`,
  'utf8',
);
export const SAMPLE_IMAGE_VERSION_ID = 'ubuntu-22.04@1.2.3';

export const SAMPLE_PACK_EVENTS: { type: string; payload: JsonValue }[] = [
  {
    type: `${T}policy.decided.v1`,
    payload: {
      decisionId: 'd-1',
      service: 'remediation',
      action: 'remediation.start',
      policy: 'p',
      result: 'allow',
      enforced: true,
      mode: 'prod',
      decidedAt: '2026-11-22T10:00:00Z',
    },
  },
  {
    type: `${T}image.published.v1`,
    payload: {
      imageVersionId: SAMPLE_IMAGE_VERSION_ID,
      family: 'ubuntu-22.04',
      version: '1.2.3',
      sbom: {
        format: 'spdx-2.3+json',
        uri: 'https://sbom.example/1',
        sha256: createHash('sha256').update(SAMPLE_SBOM).digest('hex'),
      },
    },
  },
  {
    type: `${T}remediation.planned.v1`,
    payload: { planId: 'plan-1', environment: 'prod' },
  },
  {
    type: `${T}remediation.wave.started.v1`,
    payload: {
      planId: 'plan-1',
      waveIndex: 0,
      workflowId: 'remediation/plan-1/wave-0',
      assetIds: ['a'],
      startedAt: '2026-11-22T10:01:00Z',
    },
  },
  {
    type: `${T}compliance.scored.v1`,
    payload: {
      scoreId: 's-1',
      subjectKind: 'asset',
      subjectId: 'asset-1',
      score: 0.9,
      target: 0.85,
      badge: 'compliant',
      scoredAt: '2026-11-22T10:02:00Z',
      controls: [
        {
          controlId: 'rf:image-signed',
          weight: 1,
          status: 'pass',
          evidence: [{ index: 1, leafHash: 'b'.repeat(64) }],
        },
      ],
    },
  },
];

/**
 * A small honest pack input: five entries of a real tree, a signed checkpoint, one workflow history.
 * `organisations` binds an organisation into the leaf of each entry it names one for.
 */
export function samplePackInput(
  overrides: Partial<EvidencePackInput> = {},
  organisations: readonly (string | undefined)[] = [],
): EvidencePackInput {
  const tree = new InMemoryMerkleTree();
  const leaves = SAMPLE_PACK_EVENTS.map((e, i) => {
    const eventId = `00000000-0000-4000-8000-00000000000${i}`;
    const leaf = encodeLeaf({
      eventId,
      type: e.type,
      subject: `subject-${i}`,
      time: `2026-11-22T10:0${i}:00Z`,
      payloadHash: payloadHashOf(e.payload),
      payloadRef: payloadRefFor(eventId),
      ...(organisations[i] === undefined ? {} : { organisation: organisations[i] }),
    });
    tree.appendLeaf(leaf);
    return leaf;
  });
  const text = formatCheckpoint({
    origin: SAMPLE_PACK_ORIGIN,
    size: tree.size,
    rootHash: tree.root(),
    extensions: [],
  });
  const checkpoint = formatSignedNote(signNote(text, [samplePackLogKey]));
  return {
    scope: {
      from: '2026-11-22T00:00:00Z',
      to: '2026-11-23T00:00:00Z',
      environment: 'prod',
      selection: 'test',
      pendingEntriesExcluded: 0,
      otherEnvironmentEntriesExcluded: 0,
    },
    log: {
      origin: SAMPLE_PACK_ORIGIN,
      treeSize: tree.size,
      rootHash: tree.root(),
      checkpoint,
      vkeys: [samplePackLogKey.verifier.toVkey()],
    },
    entries: leaves.map((leaf, index) => ({
      index,
      leaf,
      leafHash: tree.leafHash(index),
      inclusionProof: tree.inclusionProof(index),
      payload: { state: 'present', content: (SAMPLE_PACK_EVENTS[index] as { payload: JsonValue }).payload },
    })),
    workflowHistories: new Map([
      ['remediation/plan-1/wave-0', { status: 'found', historyJson: '{"events":[{"eventId":"1"}]}' }],
    ]),
    sbomDocuments: new Map([[SAMPLE_IMAGE_VERSION_ID, { status: 'found', bytes: SAMPLE_SBOM }]]),
    driftReports: { status: 'absent', reason: 'no drift source' },
    ...overrides,
  };
}
