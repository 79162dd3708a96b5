/**
 * Evidence pack build and offline verification, in memory. Prints figures; it is not a test.
 *
 *   (a) buildEvidencePack over N entries of a real tree: canonical payloads, reports, index, ZIP
 *   (b) verifyEvidencePack of that ZIP: inflate, file hashes, checkpoint signature, N inclusion proofs
 *       and payload hashes
 *   (c) baseline in the same run: the same entries as an audit bundle (JSON) checked by auditLedger,
 *       what `rf ledger verify` does
 *
 * Run: SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register bench/evidence-pack/evidence-pack.bench.ts
 * Size: RF_BENCH_PACK_ENTRIES (default 10000), RF_BENCH_PACK_ROUNDS (default 3).
 */
import { processEnvironment } from '@rf/platform-config';
import { buildEvidencePack, verifyEvidencePack } from '@rf/platform-evidence-pack';
import {
  auditLedger,
  decodeAuditBundle,
  Ed25519NoteSigner,
  encodeAuditBundle,
  encodeLeaf,
  formatCheckpoint,
  formatSignedNote,
  InMemoryMerkleTree,
  type JsonValue,
  payloadHashOf,
  payloadRefFor,
  signNote,
} from '@rf/platform-ledger-proof';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const env = processEnvironment();
const N = Number(env['RF_BENCH_PACK_ENTRIES'] ?? 10_000);
const ROUNDS = Number(env['RF_BENCH_PACK_ROUNDS'] ?? 3);
const ORIGIN = 'ledger.bench.resiliencefabric.io/evidence';
const T = 'io.resiliencefabric.';
const key = Ed25519NoteSigner.generate(ORIGIN);

function payload(i: number): { type: string; content: JsonValue } {
  switch (i % 4) {
    case 0:
      return {
        type: `${T}policy.decided.v1`,
        content: {
          decisionId: `d-${i}`,
          service: 'remediation',
          action: 'remediation.start',
          result: i % 7 === 0 ? 'deny' : 'allow',
          enforced: true,
        },
      };
    case 1:
      return {
        type: `${T}compliance.scored.v1`,
        content: {
          scoreId: `s-${i}`,
          subjectKind: 'asset',
          subjectId: `asset-${i}`,
          score: 0.9,
          target: 0.85,
          badge: 'compliant',
          scoredAt: '2026-11-22T10:00:00Z',
          controls: [
            {
              controlId: 'rf:image-signed',
              weight: 0.2,
              status: 'pass',
              evidence: [{ index: 1, leafHash: 'a'.repeat(64) }],
            },
          ],
        },
      };
    case 2:
      return {
        type: `${T}remediation.planned.v1`,
        content: { planId: `p-${i}`, environment: 'prod', strategy: 'canary' },
      };
    default:
      return {
        type: `${T}backup.completed.v1`,
        content: { backupId: `b-${i}`, sizeBytes: i * 1024, encrypted: true },
      };
  }
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
}

function time<R>(f: () => R): [R, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

const tree = new InMemoryMerkleTree();
const events = Array.from({ length: N }, (_, i) => payload(i));
const leaves = events.map((e, i) => {
  const eventId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const leaf = encodeLeaf({
    eventId,
    type: e.type,
    subject: `s-${i}`,
    time: '2026-11-22T10:00:00Z',
    payloadHash: payloadHashOf(e.content),
    payloadRef: payloadRefFor(eventId),
  });
  tree.appendLeaf(leaf);
  return leaf;
});
const checkpoint = formatSignedNote(
  signNote(formatCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root(), extensions: [] }), [
    key,
  ]),
);
const proofs = leaves.map((_, i) => tree.inclusionProof(i));

const builds: number[] = [];
const verifies: number[] = [];
const baselines: number[] = [];
let archiveBytes = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  const [pack, buildMs] = time(() =>
    buildEvidencePack({
      scope: {
        from: '2026-11-01T00:00:00Z',
        to: '2026-12-01T00:00:00Z',
        environment: 'prod',
        selection: 'bench',
        pendingEntriesExcluded: 0,
        otherEnvironmentEntriesExcluded: 0,
      },
      log: {
        origin: ORIGIN,
        treeSize: tree.size,
        rootHash: tree.root(),
        checkpoint,
        vkeys: [key.verifier.toVkey()],
      },
      entries: leaves.map((leaf, i) => ({
        index: i,
        leaf,
        leafHash: tree.leafHash(i),
        inclusionProof: proofs[i] ?? [],
        payload: { state: 'present', content: (events[i] as { content: JsonValue }).content },
      })),
      workflowHistories: new Map(),
      sbomDocuments: new Map(),
      driftReports: { status: 'absent', reason: 'bench' },
    }),
  );
  builds.push(buildMs);
  archiveBytes = pack.archive.length;
  const [result, verifyMs] = time(() =>
    verifyEvidencePack(pack.archive, { trustedKeys: [key.verifier], trustEmbeddedKeys: false }),
  );
  if (!result.ok || result.inclusionProofsVerified !== N) throw new Error('the bench pack did not verify');
  verifies.push(verifyMs);

  const bundleJson = JSON.stringify(
    encodeAuditBundle({
      treeSize: tree.size,
      fromIndex: 0,
      toIndex: N,
      checkpoints: [checkpoint],
      consistencyProofs: [],
      entries: leaves.map((leaf, i) => ({
        index: i,
        leaf,
        inclusionProof: { treeSize: tree.size, proof: proofs[i] ?? [] },
        payload: (events[i] as { content: JsonValue }).content,
      })),
    }),
  );
  const [audit, auditMs] = time(() => {
    const b = decodeAuditBundle(JSON.parse(bundleJson));
    return auditLedger({
      policy: { origin: ORIGIN, logKeys: [key.verifier] },
      trustedCheckpoints: [],
      checkpoints: b.checkpoints,
      consistencyProofs: b.consistencyProofs,
      entries: b.entries,
      completeLog: false,
    });
  });
  if (!audit.ok) throw new Error('the bench bundle did not verify');
  baselines.push(auditMs);
}

console.log(
  `evidence pack bench: ${N} entries, ${ROUNDS} rounds, ${cpus().length} CPUs, node ${process.version}`,
);
console.log(
  `  build pack (ZIP ${(archiveBytes / 1024 / 1024).toFixed(1)} MiB)   median ${median(builds).toFixed(0)} ms`,
);
console.log(
  `  verify pack offline            median ${median(verifies).toFixed(0)} ms (${((N / median(verifies)) * 1000).toFixed(0)} entries/s)`,
);
console.log(
  `  baseline: audit bundle verify  median ${median(baselines).toFixed(0)} ms (${((N / median(baselines)) * 1000).toFixed(0)} entries/s)`,
);
